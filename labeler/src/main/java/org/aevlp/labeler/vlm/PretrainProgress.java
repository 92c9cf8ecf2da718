package org.aevlp.labeler.vlm;

/** Receives one call per pretraining step, on the training thread (e.g. to move a progress bar). */
@FunctionalInterface
public interface PretrainProgress {

  /** Ignores every step. */
  PretrainProgress NONE = (epoch, step, stepsPerEpoch, loss) -> {};

  /**
   * A step has finished.
   *
   * @param epoch 1-based epoch
   * @param step 1-based step within the epoch
   * @param stepsPerEpoch steps in every epoch
   * @param loss the step's InfoNCE loss
   */
  void onStep(int epoch, int step, int stepsPerEpoch, double loss);
}
