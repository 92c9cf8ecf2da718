package org.aevlp.worker.train;

/**
 * A micro-batch's contribution to a step: the gradient of its mean loss (flat, in the trainable
 * {@link ParameterLayout} order), the number of samples and the sum of per-sample losses. The
 * reducer forms the sample-weighted mean of gradients, so that N workers reproduce one worker.
 */
public record GradientResult(float[] gradient, int samples, double lossSum) {

  public double meanLoss() {
    return samples == 0 ? 0 : lossSum / samples;
  }
}
