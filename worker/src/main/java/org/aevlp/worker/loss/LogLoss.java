package org.aevlp.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * The reference's stabilised log terms (QUIRKS Q4): {@code nlog(x) = -log(x + ε)}, {@code ε =
 * 1e-7}, and the masked binary log loss built from them.
 */
final class LogLoss {

  /** The ε added inside every log. */
  static final double EPSILON = 1e-7;

  private LogLoss() {}

  /** {@code -log(x + ε)}. */
  static NDArray negLog(NDArray x) {
    return x.add(EPSILON).log().neg();
  }

  /**
   * {@code mean over B×C of positive·nlog(p) + negative·nlog(1 - p)}; entries in neither mask
   * count as 0 in the mean (QUIRKS Q7).
   *
   * @param p probabilities
   * @param positive 0/1 mask of the entries taken as positive
   * @param negative 0/1 mask of the entries taken as negative (disjoint from {@code positive})
   * @return the scalar mean
   */
  static NDArray maskedMean(NDArray p, NDArray positive, NDArray negative) {
    return negLog(p).mul(positive).add(negLog(NDArrays.sub(1.0, p)).mul(negative)).mean();
  }
}
