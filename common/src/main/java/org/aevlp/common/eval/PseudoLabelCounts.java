package org.aevlp.common.eval;

/**
 * The three counts behind pseudo-label precision and recall, with observed positives taken out as
 * the reference's {@code compute_precision_recall_pl} does (DESIGN.md §4 Metrics, golden QUIRKS.md
 * M4). With {@code pl = pseudo > 0} and {@code true = truth > 0}:
 *
 * <pre>
 *   correct   = #(pl ∧ true) − #(pl ∧ observed)
 *   predicted = #pl − #(pl ∧ observed)
 *   positives = Σ true − Σ observed
 * </pre>
 *
 * <p>Counts add up across batches, so summing them gives the same result as counting the whole set
 * at once.
 *
 * @param correct pseudo-labels that are true positives, observed positives excluded
 * @param predicted pseudo-labels, observed positives excluded
 * @param positives true positives that were not observed
 */
public record PseudoLabelCounts(long correct, long predicted, long positives) {

  /** No samples. */
  public static final PseudoLabelCounts ZERO = new PseudoLabelCounts(0, 0, 0);

  /**
   * Counts one batch; the three matrices are N x C. {@code pseudo} and {@code truth} may hold -1
   * (not a positive); {@code observed} must be 0/1 because the reference sums it raw.
   *
   * @throws IllegalArgumentException for mismatched shapes or values outside those rules, naming
   *     the field and the cell
   */
  public static PseudoLabelCounts count(int[][] pseudo, int[][] observed, int[][] truth) {
    return count(
        LabelMatrix.of("pseudoLabels", pseudo),
        LabelMatrix.of("observed", observed),
        LabelMatrix.of("truth", truth));
  }

  /** As {@link #count(int[][], int[][], int[][])} with byte matrices. */
  public static PseudoLabelCounts count(byte[][] pseudo, byte[][] observed, byte[][] truth) {
    return count(
        LabelMatrix.of("pseudoLabels", pseudo),
        LabelMatrix.of("observed", observed),
        LabelMatrix.of("truth", truth));
  }

  private static PseudoLabelCounts count(
      LabelMatrix pseudo, LabelMatrix observed, LabelMatrix truth) {
    observed.requireShape(pseudo.rows(), pseudo.cols(), pseudo.field());
    truth.requireShape(pseudo.rows(), pseudo.cols(), pseudo.field());
    pseudo.requireValuesIn("-1, 0 or 1", -1, 0, 1);
    observed.requireValuesIn("0 or 1", 0, 1);
    truth.requireValuesIn("-1, 0 or 1", -1, 0, 1);
    long plAndTrue = 0;
    long plAndObserved = 0;
    long pl = 0;
    long sumTrue = 0;
    long sumObserved = 0;
    for (int r = 0; r < pseudo.rows(); r++) {
      for (int c = 0; c < pseudo.cols(); c++) {
        boolean isPseudo = pseudo.get(r, c) > 0;
        boolean isTrue = truth.get(r, c) > 0;
        int obs = observed.get(r, c);
        if (isPseudo) {
          pl++;
          plAndObserved += obs;
          if (isTrue) {
            plAndTrue++;
          }
        }
        if (isTrue) {
          sumTrue++;
        }
        sumObserved += obs;
      }
    }
    return new PseudoLabelCounts(
        plAndTrue - plAndObserved, pl - plAndObserved, sumTrue - sumObserved);
  }

  /** Element-wise sum of two counts. */
  public PseudoLabelCounts plus(PseudoLabelCounts other) {
    return new PseudoLabelCounts(
        correct + other.correct, predicted + other.predicted, positives + other.positives);
  }

  /** Precision and recall (percent) from these counts. */
  public PseudoLabelQuality quality() {
    double precision = predicted == 0 ? 0.0 : (double) correct / predicted * 100.0;
    double recall = positives == 0 ? 0.0 : (double) correct / positives * 100.0;
    return new PseudoLabelQuality(precision, recall);
  }
}
