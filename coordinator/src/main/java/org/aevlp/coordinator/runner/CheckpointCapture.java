package org.aevlp.coordinator.runner;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.Set;
import org.aevlp.common.cluster.TensorKeys;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.PublishState;
import org.aevlp.common.cluster.WorkerProtocol.Reply;
import org.aevlp.common.cluster.WorkerProtocol.StatePart;
import org.aevlp.common.cluster.WorkerProtocol.StatePublished;
import org.aevlp.common.runs.CheckpointRef;
import org.aevlp.common.tensor.FloatChunks;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Writes a checkpoint (at an epoch end, or inside an epoch): one ready replica (they are identical after the step barrier and
 * the BatchNorm average) publishes its whole state, which goes to the run directory as is.
 */
final class CheckpointCapture extends Operation {

  /** What the runner does once the checkpoint file is written. */
  interface Written {
    void accept(CheckpointRef checkpoint) throws IOException;
  }

  private final Written written;
  private ActorRef<Command> source;
  private String key;

  CheckpointCapture(ExperimentRunner runner, List<ActorRef<Command>> ready, Written written) {
    super(runner);
    this.source = ready.get(0);
    this.written = written;
  }

  @Override
  void start() {
    key = TensorKeys.replicaState(runner.experimentId(), StatePart.WHOLE_REPLICA, runner.nextSerial());
    source.tell(new PublishState(runner.experimentId(), StatePart.WHOLE_REPLICA, key, runner.replies()));
  }

  @Override
  void onReply(Reply reply) {
    if (!(reply instanceof StatePublished p) || !p.worker().equals(source) || !p.tensorKey().equals(key)) {
      return;
    }
    float[] state = runner.store().peek(key).orElseThrow(() ->
        new IllegalStateException("state " + key + " was announced but is not in the tensor store"));
    runner.store().remove(key);
    try {
      CheckpointRef ref = runner.run().writeCheckpoint(runner.epoch(), runner.globalStep(), FloatChunks.toBytes(state));
      runner.operationFinished();
      written.accept(ref);
    } catch (IOException e) {
      runner.operationFailed("cannot write a checkpoint in epoch " + runner.epoch() + ": " + describe(e));
    }
  }

  @Override
  Set<ActorRef<Command>> awaited() {
    return Set.of(source);
  }

  @Override
  void onWorkerLost(ActorRef<Command> worker) {
    if (worker.equals(source)) {
      runner.store().remove(key);
      List<ActorRef<Command>> ready = runner.readyWorkers();
      if (!ready.isEmpty()) {
        runner.log().info("worker {} left while publishing the checkpoint state; asking {}", worker.path(),
            ready.get(0).path());
        source = ready.get(0);
        start();
      }
    }
  }

  /** File-system errors carry only the path as their message; say what happened to it. */
  private static String describe(IOException e) {
    if (e instanceof FileSystemException fs) {
      String what = fs.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
          .toLowerCase(java.util.Locale.ROOT);
      return what + " (" + fs.getFile() + ")" + (fs.getReason() == null ? "" : ": " + fs.getReason());
    }
    return e.getMessage();
  }
}
