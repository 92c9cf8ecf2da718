package org.aevlp.coordinator.runner;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.aevlp.common.eval.PseudoLabelCounts;

/** What one epoch's steps added up to: losses, sample use, pseudo-label counts, re-runs. */
final class EpochTally {

  private final int epoch;
  private final int planned;
  private final int[] uses;
  private final long startNanos;
  private final Set<String> workers = new LinkedHashSet<>();
  private long trained;
  private long skipped;
  private double lossSum;
  private PseudoLabelCounts pseudoLabels = PseudoLabelCounts.ZERO;
  private int reruns;
  private double valMap = Double.NaN;

  EpochTally(int epoch, int planned, int trainSize) {
    this.epoch = epoch;
    this.planned = planned;
    this.uses = new int[trainSize];
    this.startNanos = System.nanoTime();
  }

  /** A tally continuing from a snapshot (a resume from a mid-epoch checkpoint). */
  EpochTally(Snapshot snapshot) {
    this.epoch = snapshot.epoch();
    this.planned = snapshot.planned();
    this.uses = snapshot.uses().clone();
    this.startNanos = System.nanoTime() - (long) (snapshot.seconds() * 1e9);
    this.trained = snapshot.trained();
    this.skipped = snapshot.skipped();
    this.lossSum = snapshot.lossSum();
    this.pseudoLabels = snapshot.pseudoLabels();
    this.reruns = snapshot.reruns();
    this.workers.addAll(snapshot.workers());
  }

  /** The tally's content, to be written with a mid-epoch checkpoint. */
  record Snapshot(int epoch, int planned, int[] uses, long trained, long skipped, double lossSum,
      PseudoLabelCounts pseudoLabels, int reruns, List<String> workers, double seconds) {}

  Snapshot snapshot() {
    return new Snapshot(epoch, planned, uses.clone(), trained, skipped, lossSum, pseudoLabels, reruns,
        List.copyOf(workers), seconds());
  }

  void add(TrainingStep step) {
    for (int index : step.usedIndices()) {
      uses[index]++;
    }
    trained += step.samples();
    skipped += step.skipped();
    lossSum += step.lossSum();
    pseudoLabels = pseudoLabels.plus(step.pseudoLabels());
    reruns += step.reruns();
    workers.addAll(step.workerNames());
  }

  void validation(double map) {
    valMap = map;
  }

  double valMap() {
    return valMap;
  }

  double meanLoss() {
    return trained == 0 ? 0 : lossSum / trained;
  }

  long samplesTrained() {
    return trained;
  }

  long samplesSkipped() {
    return skipped;
  }

  int reruns() {
    return reruns;
  }

  int workersSeen() {
    return workers.size();
  }

  PseudoLabelCounts pseudoLabels() {
    return pseudoLabels;
  }

  double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  EpochSampleCount sampleCount() {
    int distinct = 0;
    int maxUses = 0;
    for (int u : uses) {
      if (u > 0) {
        distinct++;
      }
      maxUses = Math.max(maxUses, u);
    }
    return new EpochSampleCount(epoch, planned, trained, distinct, maxUses, skipped, reruns);
  }
}
