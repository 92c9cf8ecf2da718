package org.aevlp.coordinator.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aevlp.common.cluster.TensorKeys;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.LoadState;
import org.aevlp.common.cluster.WorkerProtocol.PublishState;
import org.aevlp.common.cluster.WorkerProtocol.Reply;
import org.aevlp.common.cluster.WorkerProtocol.StateLoaded;
import org.aevlp.common.cluster.WorkerProtocol.StatePart;
import org.aevlp.common.cluster.WorkerProtocol.StatePublished;
import org.aevlp.coordinator.training.GradientReducer;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Replaces a state part of every ready replica by its plain mean over the replicas: BatchNorm
 * running statistics before evaluation and checkpoints (DESIGN §3.5), or the parameters every
 * {@code sync_every} steps with local SGD. Each replica publishes its part, the runner averages in
 * a fixed worker order, and every replica loads the average.
 */
final class Averaging extends Operation {

  private final StatePart part;
  private final Map<ActorRef<Command>, String> keys = new LinkedHashMap<>();
  private final Set<ActorRef<Command>> published = new LinkedHashSet<>();
  private final Set<ActorRef<Command>> awaitingLoad = new LinkedHashSet<>();
  private final Runnable onDone;
  private String averageKey;

  Averaging(ExperimentRunner runner, StatePart part, List<ActorRef<Command>> members, Runnable onDone) {
    super(runner);
    this.part = part;
    this.onDone = onDone;
    for (ActorRef<Command> member : members) {
      keys.put(member, TensorKeys.replicaState(runner.experimentId(), part, runner.nextSerial()));
    }
  }

  @Override
  void start() {
    keys.forEach((worker, key) -> worker.tell(new PublishState(runner.experimentId(), part, key, runner.replies())));
  }

  @Override
  void onReply(Reply reply) {
    if (reply instanceof StatePublished p && p.part() == part && averageKey == null && keys.containsKey(p.worker())) {
      published.add(p.worker());
      averageIfComplete();
    } else if (reply instanceof StateLoaded l && l.part() == part && averageKey != null
        && awaitingLoad.remove(l.worker())) {
      finishIfLoaded();
    }
  }

  @Override
  Set<ActorRef<Command>> awaited() {
    if (averageKey != null) {
      return Set.copyOf(awaitingLoad);
    }
    Set<ActorRef<Command>> waiting = new LinkedHashSet<>(keys.keySet());
    waiting.removeAll(published);
    return waiting;
  }

  @Override
  void onWorkerLost(ActorRef<Command> worker) {
    String key = keys.remove(worker);
    if (key != null) {
      runner.store().remove(key);
    }
    published.remove(worker);
    if (averageKey == null) {
      averageIfComplete();
    } else if (awaitingLoad.remove(worker)) {
      finishIfLoaded();
    }
  }

  private void averageIfComplete() {
    if (keys.isEmpty() || published.size() < keys.size()) {
      return;
    }
    List<float[]> buffers = new ArrayList<>(keys.size());
    for (String key : keys.values()) {
      buffers.add(runner.store().peek(key).orElseThrow(() ->
          new IllegalStateException("state " + key + " was announced but is not in the tensor store")));
      runner.store().remove(key);
    }
    averageKey = TensorKeys.runnerState(runner.experimentId(), part, runner.nextSerial());
    runner.store().put(averageKey, GradientReducer.mean(buffers));
    awaitingLoad.addAll(keys.keySet());
    for (ActorRef<Command> worker : keys.keySet()) {
      worker.tell(new LoadState(runner.experimentId(), part, averageKey, runner.replies()));
    }
  }

  private void finishIfLoaded() {
    if (awaitingLoad.isEmpty()) {
      runner.store().remove(averageKey);
      runner.stateLoaded();
      onDone.run();
      runner.operationFinished();
    }
  }
}
