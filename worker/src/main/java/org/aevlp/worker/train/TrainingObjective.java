package org.aevlp.worker.train;

import ai.djl.training.loss.Loss;
import java.util.List;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.worker.data.LoadedSamples;
import org.aevlp.worker.loss.EpochSchedule;
import org.aevlp.worker.loss.GprParams;
import org.aevlp.worker.loss.LossKind;

/**
 * What a run optimises: the loss named by the spec with its parameters, and which label matrices
 * that loss reads (observed; observed + pseudo-labels; or clean labels for the upper bound).
 */
public record TrainingObjective(LossKind kind, GprParams params) {

  /** The objective of a validated, defaults-filled spec. */
  public static TrainingObjective fromSpec(ExperimentSpec spec) {
    EpochSchedule schedule = EpochSchedule.fromReference(
        toArray(spec.getBetaList()), toArray(spec.getAlphaList()), toArray(spec.getQ2Q3List()),
        spec.getNumEpochs(), spec.getLinearInit());
    GprParams params = new GprParams(spec.getUsePl(), schedule, spec.getLam(0), spec.getLam(1), spec.getRho(),
        spec.getReg(), spec.getExpectedNumPos(), spec.getNumClasses());
    return new TrainingObjective(LossKind.fromSpecName(spec.getLoss()), params);
  }

  /** Whether training batches need DAMP pseudo-labels from a labeler. */
  public boolean needsPseudoLabels() {
    return kind.readsPseudoLabels(params);
  }

  /** The loss in force during a 1-based epoch (only GPR's schedule depends on it). */
  public Loss lossForEpoch(int epoch) {
    return kind.forEpoch(params, epoch);
  }

  /**
   * The label matrices of a micro-batch in the loss's order.
   *
   * @param pseudoLabels N×C pseudo-labels (−1/0/1) when {@link #needsPseudoLabels()}, else ignored
   */
  public List<float[]> labels(LoadedSamples samples, float[] pseudoLabels) {
    if (kind.readsCleanLabels()) {
      return List.of(samples.cleanFloats());
    }
    if (needsPseudoLabels()) {
      if (pseudoLabels == null || pseudoLabels.length != samples.size() * samples.numClasses()) {
        throw new IllegalArgumentException("pseudo-labels: the " + kind.specName()
            + " loss with use_pl needs an N x C pseudo-label matrix for " + samples.size() + " samples");
      }
      return List.of(samples.observedFloats(), pseudoLabels);
    }
    return List.of(samples.observedFloats());
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
