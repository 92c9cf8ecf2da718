package org.aevlp.common.eval;

import java.util.Arrays;

/**
 * Average precision of one class, as scikit-learn's {@code average_precision_score} computes it
 * (DESIGN.md §4 Metrics, golden QUIRKS.md M1):
 *
 * <pre>
 *   AP = Σ_t (R_t − R_{t−1}) · P_t ,   R_0 = 0
 * </pre>
 *
 * <p>over the distinct scores {@code t} from highest to lowest, where {@code P_t} and {@code R_t}
 * are the precision and recall of predicting "positive" for every sample scoring {@code >= t}.
 * Samples with equal scores enter at the same threshold, and precision is not interpolated. A class
 * without positives has AP 0 (the reference code's convention, QUIRKS.md M1).
 *
 * <p>Cost: two primitive sorts, O(n log n).
 */
public final class AveragePrecision {

  private AveragePrecision() {}

  /**
   * Average precision (a fraction in [0, 1]) of {@code scores} against {@code positive}.
   *
   * @throws IllegalArgumentException if the lengths differ or a score is NaN or infinite
   *     (scikit-learn rejects those too)
   */
  public static double of(double[] scores, boolean[] positive) {
    if (scores == null || positive == null) {
      throw new IllegalArgumentException("scores and positive must not be null");
    }
    if (scores.length != positive.length) {
      throw new IllegalArgumentException(
          "scores has " + scores.length + " values but positive has " + positive.length);
    }
    int numPositive = 0;
    for (int i = 0; i < scores.length; i++) {
      requireFinite(scores[i], i);
      if (positive[i]) {
        numPositive++;
      }
    }
    double[] pos = new double[numPositive];
    double[] neg = new double[scores.length - numPositive];
    int p = 0;
    int n = 0;
    for (int i = 0; i < scores.length; i++) {
      if (positive[i]) {
        pos[p++] = scores[i];
      } else {
        neg[n++] = scores[i];
      }
    }
    return ofPartition(pos, neg);
  }

  /**
   * Average precision from the scores of the positive and of the negative samples, already checked
   * to be finite. Sorts both arrays in place.
   */
  static double ofPartition(double[] positiveScores, double[] negativeScores) {
    int totalPositives = positiveScores.length;
    if (totalPositives == 0) {
      return 0.0;
    }
    normaliseZeros(positiveScores);
    normaliseZeros(negativeScores);
    Arrays.sort(positiveScores);
    Arrays.sort(negativeScores);
    // Walk both ascending arrays from their ends, i.e. thresholds from high to low.
    int p = positiveScores.length - 1;
    int n = negativeScores.length - 1;
    long truePositives = 0;
    long predicted = 0;
    double previousRecall = 0.0;
    double ap = 0.0;
    while (p >= 0) {
      double threshold =
          n >= 0 ? Math.max(positiveScores[p], negativeScores[n]) : positiveScores[p];
      while (p >= 0 && positiveScores[p] == threshold) {
        truePositives++;
        predicted++;
        p--;
      }
      while (n >= 0 && negativeScores[n] == threshold) {
        predicted++;
        n--;
      }
      double recall = (double) truePositives / totalPositives;
      double precision = (double) truePositives / predicted;
      ap += (recall - previousRecall) * precision;
      previousRecall = recall;
    }
    // Thresholds below the lowest positive add no recall, so they add nothing to AP.
    return ap;
  }

  private static void requireFinite(double score, int index) {
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException(
          "scores[" + index + "] = " + score + ": scores must be finite");
    }
  }

  /** Arrays.sort orders -0.0 before 0.0; numpy treats them as one value, so we do too. */
  private static void normaliseZeros(double[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] += 0.0;
    }
  }
}
