package org.aevlp.coordinator.runner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.aevlp.common.cluster.TensorKeys;
import org.aevlp.common.cluster.WorkerProtocol.Applied;
import org.aevlp.common.cluster.WorkerProtocol.ApplyUpdate;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.MicroBatchDone;
import org.aevlp.common.cluster.WorkerProtocol.Reply;
import org.aevlp.common.cluster.WorkerProtocol.RunMicroBatch;
import org.aevlp.common.eval.PseudoLabelCounts;
import org.aevlp.coordinator.training.EpochPlan;
import org.aevlp.coordinator.training.GradientReducer;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One synchronous step (DESIGN §3, steps 1–4): the global batch is split into one micro-batch per
 * participant; when every micro-batch has answered, their gradients are reduced in slot order with
 * sample weights and every ready replica applies the result. A micro-batch whose worker is lost
 * before answering is sent again (next attempt) to the live worker with the least work; only the
 * first answer per slot and attempt counts, so no sample is counted twice.
 *
 * <p>With local SGD the workers apply their own gradients and the step ends when all answered.
 */
final class TrainingStep extends Operation {

  private final int epoch;
  private final int step;
  private final List<int[]> slots;
  private final List<int[]> nextSlots;
  private final List<ActorRef<Command>> assigned;
  private final int[] attempts;
  private final MicroBatchDone[] results;
  private final Set<ActorRef<Command>> appliers;
  private final boolean localSgd;
  private final boolean headOnly;
  private final long startNanos = System.nanoTime();
  private final Set<ActorRef<Command>> awaitingApply = new HashSet<>();
  private final Set<String> workerNames = new LinkedHashSet<>();
  private String reducedKey;
  private int answered;
  private int reruns;
  private double reduceSeconds;
  private double pullSeconds;
  private double wallSeconds;

  TrainingStep(ExperimentRunner runner, int epoch, int step, int[] batch, int[] nextBatch,
      List<ActorRef<Command>> participants, List<ActorRef<Command>> ready, boolean localSgd, boolean headOnly) {
    super(runner);
    this.epoch = epoch;
    this.step = step;
    this.slots = EpochPlan.split(batch, participants.size());
    this.nextSlots = nextBatch.length == 0 ? List.of() : EpochPlan.split(nextBatch, participants.size());
    this.assigned = new ArrayList<>(participants.subList(0, slots.size()));
    this.attempts = new int[slots.size()];
    this.results = new MicroBatchDone[slots.size()];
    this.appliers = new LinkedHashSet<>(ready);
    this.localSgd = localSgd;
    this.headOnly = headOnly;
  }

  @Override
  void start() {
    for (int slot = 0; slot < slots.size(); slot++) {
      send(slot);
    }
  }

  private void send(int slot) {
    List<Integer> indices = Arrays.stream(slots.get(slot)).boxed().toList();
    List<Integer> hint = attempts[slot] == 0 && slot < nextSlots.size()
        ? Arrays.stream(nextSlots.get(slot)).boxed().toList() : List.of();
    assigned.get(slot).tell(new RunMicroBatch(runner.experimentId(), epoch, step, slot, indices, attempts[slot], hint,
        localSgd, headOnly, runner.replies()));
  }

  @Override
  void onReply(Reply reply) {
    if (reply instanceof MicroBatchDone done && done.epoch() == epoch && done.step() == step) {
      int slot = done.slot();
      if (slot < 0 || slot >= slots.size() || results[slot] != null || done.attempt() != attempts[slot]
          || !done.worker().equals(assigned.get(slot))) {
        return;
      }
      results[slot] = done;
      workerNames.add(done.worker().path().toString());
      if (++answered == slots.size()) {
        reduceOrFinish();
      }
    } else if (reply instanceof Applied applied && applied.step() == step && awaitingApply.remove(applied.worker())) {
      pullSeconds = Math.max(pullSeconds, applied.exchangeSeconds());
      if (awaitingApply.isEmpty()) {
        finish();
      }
    }
  }

  @Override
  Set<ActorRef<Command>> awaited() {
    if (reducedKey != null) {
      return Set.copyOf(awaitingApply);
    }
    Set<ActorRef<Command>> waiting = new HashSet<>();
    for (int slot = 0; slot < slots.size(); slot++) {
      if (results[slot] == null) {
        waiting.add(assigned.get(slot));
      }
    }
    return waiting;
  }

  @Override
  void onWorkerLost(ActorRef<Command> worker) {
    appliers.remove(worker);
    if (reducedKey != null) {
      if (awaitingApply.remove(worker) && awaitingApply.isEmpty()) {
        finish();
      }
      return;
    }
    List<ActorRef<Command>> live = runner.readyWorkers();
    if (live.isEmpty()) {
      return;
    }
    for (int slot = 0; slot < slots.size(); slot++) {
      if (results[slot] == null && assigned.get(slot).equals(worker)) {
        attempts[slot]++;
        if (attempts[slot] >= runner.settings().maxAttempts()) {
          runner.operationFailed("micro-batch " + epoch + "/" + step + "/" + slot + " failed on "
              + attempts[slot] + " workers");
          return;
        }
        assigned.set(slot, leastLoaded(live));
        reruns++;
        runner.log().info("re-running micro-batch {}/{}/{} (attempt {}) on {}", epoch, step, slot, attempts[slot],
            assigned.get(slot).path());
        send(slot);
      }
    }
  }

  private ActorRef<Command> leastLoaded(List<ActorRef<Command>> live) {
    return live.stream().min(Comparator.comparingLong(w -> pendingOn(w))).orElseThrow();
  }

  private long pendingOn(ActorRef<Command> worker) {
    long pending = 0;
    for (int slot = 0; slot < slots.size(); slot++) {
      if (results[slot] == null && assigned.get(slot).equals(worker)) {
        pending++;
      }
    }
    return pending;
  }

  private void reduceOrFinish() {
    if (localSgd || samples() == 0) {
      finish();
      return;
    }
    long start = System.nanoTime();
    List<GradientReducer.Contribution> contributions = new ArrayList<>(slots.size());
    for (MicroBatchDone done : results) {
      float[] gradient = runner.store().peek(done.gradientKey()).orElseThrow(() -> new IllegalStateException(
          "gradient " + done.gradientKey() + " was announced but is not in the tensor store"));
      contributions.add(new GradientReducer.Contribution(gradient, done.samples()));
    }
    float[] reduced = GradientReducer.weightedMean(contributions);
    reducedKey = TensorKeys.reducedGradient(runner.experimentId(), epoch, step);
    runner.store().put(reducedKey, reduced);
    runner.store().removePrefix(TensorKeys.stepGradients(runner.experimentId(), epoch, step));
    reduceSeconds = ExperimentRunner.seconds(start);
    awaitingApply.addAll(appliers);
    for (ActorRef<Command> worker : appliers) {
      worker.tell(new ApplyUpdate(runner.experimentId(), epoch, step, reducedKey, headOnly, runner.replies()));
    }
    if (awaitingApply.isEmpty()) {
      finish();
    }
  }

  private void finish() {
    wallSeconds = ExperimentRunner.seconds(startNanos);
    if (reducedKey != null) {
      runner.store().remove(reducedKey);
    }
    runner.stepFinished(this);
  }

  /** Samples that contributed. */
  int samples() {
    return Arrays.stream(results).mapToInt(MicroBatchDone::samples).sum();
  }

  /** Planned samples left out because their image could not be read. */
  long skipped() {
    long requested = slots.stream().mapToLong(s -> s.length).sum();
    return requested - samples();
  }

  /** Indices of the samples that contributed, slot by slot. */
  List<Integer> usedIndices() {
    List<Integer> used = new ArrayList<>();
    for (MicroBatchDone done : results) {
      used.addAll(done.usedIndices());
    }
    return used;
  }

  double lossSum() {
    return Arrays.stream(results).mapToDouble(MicroBatchDone::lossSum).sum();
  }

  double meanLoss() {
    int n = samples();
    return n == 0 ? 0 : lossSum() / n;
  }

  PseudoLabelCounts pseudoLabels() {
    PseudoLabelCounts sum = PseudoLabelCounts.ZERO;
    for (MicroBatchDone done : results) {
      sum = sum.plus(done.pseudoLabels());
    }
    return sum;
  }

  int reruns() {
    return reruns;
  }

  Set<String> workerNames() {
    return workerNames;
  }

  int participantCount() {
    return workerNames.size();
  }

  double wallSeconds() {
    return wallSeconds;
  }

  double computeSeconds() {
    return Arrays.stream(results).mapToDouble(d -> d.timings().computeSeconds()).max().orElse(0);
  }

  /** Slowest push + reduction + slowest pull. */
  double exchangeSeconds() {
    double push = Arrays.stream(results).mapToDouble(d -> d.timings().exchangeSeconds()).max().orElse(0);
    return push + reduceSeconds + pullSeconds;
  }
}
