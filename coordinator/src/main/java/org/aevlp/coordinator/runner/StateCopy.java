package org.aevlp.coordinator.runner;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.aevlp.common.cluster.TensorKeys;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.LoadState;
import org.aevlp.common.cluster.WorkerProtocol.PublishState;
import org.aevlp.common.cluster.WorkerProtocol.Reply;
import org.aevlp.common.cluster.WorkerProtocol.StateLoaded;
import org.aevlp.common.cluster.WorkerProtocol.StatePart;
import org.aevlp.common.cluster.WorkerProtocol.StatePublished;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Brings joining workers up to date at a step boundary (DESIGN §3.4): a live replica publishes its
 * whole state (parameters, BatchNorm statistics, Adam state) and the newcomers load it; or, when
 * no replica is left, they load the checkpoint the runner published.
 */
final class StateCopy extends Operation {

  private final Set<ActorRef<Command>> newcomers;
  private final Set<ActorRef<Command>> loaded = new LinkedHashSet<>();
  private ActorRef<Command> source;
  private String key;
  private boolean loading;

  /**
   * @param source the replica to copy, or null when {@code publishedKey} holds the state already
   * @param publishedKey key of a state the runner published (with a null source)
   */
  StateCopy(ExperimentRunner runner, List<ActorRef<Command>> newcomers, ActorRef<Command> source,
      String publishedKey) {
    super(runner);
    this.newcomers = new LinkedHashSet<>(newcomers);
    this.source = source;
    this.key = publishedKey;
  }

  @Override
  void start() {
    if (source == null) {
      load();
    } else {
      key = TensorKeys.replicaState(runner.experimentId(), StatePart.WHOLE_REPLICA, runner.nextSerial());
      source.tell(new PublishState(runner.experimentId(), StatePart.WHOLE_REPLICA, key, runner.replies()));
    }
  }

  private void load() {
    loading = true;
    newcomers.forEach(w -> w.tell(new LoadState(runner.experimentId(), StatePart.WHOLE_REPLICA, key,
        runner.replies())));
    finishIfDone();
  }

  @Override
  void onReply(Reply reply) {
    if (reply instanceof StatePublished p && !loading && p.worker().equals(source) && p.tensorKey().equals(key)) {
      load();
    } else if (reply instanceof StateLoaded l && loading && newcomers.remove(l.worker())) {
      loaded.add(l.worker());
      finishIfDone();
    }
  }

  @Override
  Set<ActorRef<Command>> awaited() {
    return loading ? Set.copyOf(newcomers) : source == null ? Set.of() : Set.of(source);
  }

  @Override
  void onWorkerLost(ActorRef<Command> worker) {
    if (newcomers.remove(worker)) {
      finishIfDone();
    } else if (!loading && worker.equals(source)) {
      List<ActorRef<Command>> ready = runner.readyWorkers();
      if (!ready.isEmpty()) {
        runner.store().remove(key);
        source = ready.get(0);
        start();
      }
    }
  }

  private void finishIfDone() {
    if (loading && newcomers.isEmpty()) {
      runner.store().remove(key);
      runner.admitted(new ArrayList<>(loaded));
    }
  }
}
