package org.aevlp.worker.train;

import java.util.Arrays;

/**
 * Adam's state as flat buffers in the trainable-parameter layout: per-parameter step counts and
 * the first and second moments.
 */
public record OptimizerState(long[] steps, float[] firstMoments, float[] secondMoments) {
  @Override
  public boolean equals(Object other) {
    return other instanceof OptimizerState o
        && Arrays.equals(steps, o.steps)
        && Arrays.equals(firstMoments, o.firstMoments)
        && Arrays.equals(secondMoments, o.secondMoments);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(steps) * 31 + Arrays.hashCode(firstMoments);
  }

  @Override
  public String toString() {
    return "OptimizerState[" + steps.length + " parameters, " + firstMoments.length + " floats]";
  }
}
