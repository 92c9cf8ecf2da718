package org.aevlp.coordinator.runner;

/**
 * One finished training step (mirrors aevlp.v1.StepProgress, plus where the time went).
 *
 * @param epoch 1-based epoch
 * @param numEpochs epochs planned
 * @param step 1-based step within the epoch
 * @param stepsInEpoch steps of the epoch
 * @param loss mean training loss of the step
 * @param samples samples the step trained on
 * @param workers workers that ran a micro-batch
 * @param stepSeconds wall time from sending the micro-batches to the last replica's update
 * @param computeSeconds slowest micro-batch's forward/backward time
 * @param exchangeSeconds gradient exchange and reduction: slowest push + the reduction + slowest pull
 */
public record StepProgress(
    int epoch,
    int numEpochs,
    int step,
    int stepsInEpoch,
    double loss,
    int samples,
    int workers,
    double stepSeconds,
    double computeSeconds,
    double exchangeSeconds) {

  /** Throughput of the step, images per second. */
  public double imagesPerSecond() {
    return stepSeconds > 0 ? samples / stepSeconds : 0;
  }
}
