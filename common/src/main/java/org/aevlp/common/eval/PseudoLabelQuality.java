package org.aevlp.common.eval;

/**
 * Pseudo-label precision and recall in percent, observed positives excluded (DESIGN.md §4 Metrics,
 * golden QUIRKS.md M4; counts in {@link PseudoLabelCounts}):
 *
 * <pre>
 *   P = 100 · correct / predicted      (0 if predicted = 0)
 *   R = 100 · correct / positives      (0 if positives = 0)
 * </pre>
 *
 * <p>{@link #f1()} is the usual harmonic mean 2PR/(P+R), which is what this project reports. {@link
 * #referenceHalfF1()} is the reference code's {@code 1/(1/P + 1/R)} = PR/(P+R), half of it, kept so
 * results can be compared with numbers the reference printed.
 *
 * @param precision percent
 * @param recall percent
 */
public record PseudoLabelQuality(double precision, double recall) {

  /** Precision and recall of one batch (or a whole set) given as N x C matrices. */
  public static PseudoLabelQuality of(int[][] pseudo, int[][] observed, int[][] truth) {
    return PseudoLabelCounts.count(pseudo, observed, truth).quality();
  }

  /** As {@link #of(int[][], int[][], int[][])} with byte matrices. */
  public static PseudoLabelQuality of(byte[][] pseudo, byte[][] observed, byte[][] truth) {
    return PseudoLabelCounts.count(pseudo, observed, truth).quality();
  }

  /** Usual F1 in percent: 2PR/(P+R); 0 when P or R is 0. */
  public double f1() {
    if (precision == 0.0 || recall == 0.0) {
      return 0.0;
    }
    return 2.0 * precision * recall / (precision + recall);
  }

  /**
   * The reference implementation's "F1": {@code 1/(1/P + 1/R)} = PR/(P+R), half the usual F1; 0
   * when P or R is 0. Evaluated exactly as the reference writes it, so it matches its printed
   * numbers bit for bit.
   */
  public double referenceHalfF1() {
    if (precision == 0.0 || recall == 0.0) {
      return 0.0;
    }
    return 1.0 / (1.0 / precision + 1.0 / recall);
  }
}
