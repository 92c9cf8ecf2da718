package org.aevlp.coordinator.runner;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.LoadState;
import org.aevlp.common.cluster.WorkerProtocol.Reply;
import org.aevlp.common.cluster.WorkerProtocol.StateLoaded;
import org.aevlp.common.cluster.WorkerProtocol.StatePart;
import org.apache.pekko.actor.typed.ActorRef;

/** Loads a buffer the runner published (e.g. the best checkpoint before the test) into every ready replica. */
final class StateLoad extends Operation {

  private final Set<ActorRef<Command>> awaiting;
  private final StatePart part;
  private final String key;
  private final Runnable onDone;

  StateLoad(ExperimentRunner runner, List<ActorRef<Command>> members, StatePart part, String key, Runnable onDone) {
    super(runner);
    this.awaiting = new LinkedHashSet<>(members);
    this.part = part;
    this.key = key;
    this.onDone = onDone;
  }

  @Override
  void start() {
    awaiting.forEach(w -> w.tell(new LoadState(runner.experimentId(), part, key, runner.replies())));
  }

  @Override
  void onReply(Reply reply) {
    if (reply instanceof StateLoaded l && l.part() == part && awaiting.remove(l.worker())) {
      finishIfDone();
    }
  }

  @Override
  Set<ActorRef<Command>> awaited() {
    return Set.copyOf(awaiting);
  }

  @Override
  void onWorkerLost(ActorRef<Command> worker) {
    if (awaiting.remove(worker)) {
      finishIfDone();
    }
  }

  private void finishIfDone() {
    if (awaiting.isEmpty()) {
      runner.store().remove(key);
      runner.stateLoaded();
      onDone.run();
      runner.operationFinished();
    }
  }
}
