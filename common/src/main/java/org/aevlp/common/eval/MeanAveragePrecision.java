package org.aevlp.common.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-class average precision and the mAP the reference code reports (DESIGN.md §4 Metrics, golden
 * QUIRKS.md M1, M2):
 *
 * <pre>
 *   mAP = 100 · (1/C) Σ_j AP_j
 * </pre>
 *
 * <p>with {@code AP_j} from {@link AveragePrecision} on column {@code j}. Only a target equal to 1
 * is a positive ({@code -1} and {@code 0} are negatives). A class without positives has {@code AP_j
 * = 0} and still counts in the mean. Per-class AP is a fraction, the mean is in percent.
 *
 * @param apPerClass AP of each class, a fraction in [0, 1], in label order
 */
public record MeanAveragePrecision(List<Double> apPerClass) {

  public MeanAveragePrecision {
    apPerClass = List.copyOf(apPerClass);
    if (apPerClass.isEmpty()) {
      throw new IllegalArgumentException("apPerClass must hold at least one class");
    }
  }

  /** mAP in percent: 100 times the mean of {@link #apPerClass()}. */
  public double mapPercent() {
    double sum = 0.0;
    for (double ap : apPerClass) {
      sum += ap;
    }
    return 100.0 * (sum / apPerClass.size());
  }

  /** AP of class {@code classIndex} in percent. */
  public double apPercent(int classIndex) {
    return 100.0 * apPerClass.get(classIndex);
  }

  /** Number of classes. */
  public int numClasses() {
    return apPerClass.size();
  }

  /**
   * mAP of {@code scores} (N x C) against {@code targets} (N x C, values -1, 0 or 1).
   *
   * @throws IllegalArgumentException for ragged or mismatched shapes, no classes, a non-finite
   *     score or a target outside {-1, 0, 1}; the message names the field and the cell
   */
  public static MeanAveragePrecision of(double[][] scores, int[][] targets) {
    return of(scores, LabelMatrix.of("targets", targets));
  }

  /** As {@link #of(double[][], int[][])} with byte targets. */
  public static MeanAveragePrecision of(double[][] scores, byte[][] targets) {
    return of(scores, LabelMatrix.of("targets", targets));
  }

  private static MeanAveragePrecision of(double[][] scores, LabelMatrix targets) {
    int classes = requireScores(scores);
    targets.requireShape(scores.length, classes, "scores");
    requireTargetValues(targets);
    return compute(
        scores.length,
        classes,
        new Table() {
          @Override
          public double score(int row, int col) {
            return scores[row][col];
          }

          @Override
          public boolean positive(int row, int col) {
            return targets.get(row, col) == 1;
          }
        });
  }

  /** Cell access to validated scores and targets, however they are stored. */
  interface Table {
    double score(int row, int col);

    boolean positive(int row, int col);
  }

  static MeanAveragePrecision compute(int rows, int classes, Table table) {
    List<Double> ap = new ArrayList<>(classes);
    for (int c = 0; c < classes; c++) {
      int numPositive = 0;
      for (int r = 0; r < rows; r++) {
        if (table.positive(r, c)) {
          numPositive++;
        }
      }
      double[] pos = new double[numPositive];
      double[] neg = new double[rows - numPositive];
      int p = 0;
      int n = 0;
      for (int r = 0; r < rows; r++) {
        if (table.positive(r, c)) {
          pos[p++] = table.score(r, c);
        } else {
          neg[n++] = table.score(r, c);
        }
      }
      ap.add(AveragePrecision.ofPartition(pos, neg));
    }
    return new MeanAveragePrecision(ap);
  }

  /** Checks that {@code scores} is a non-empty rectangular matrix of finite values; returns C. */
  static int requireScores(double[][] scores) {
    if (scores == null) {
      throw new IllegalArgumentException("scores must not be null");
    }
    if (scores.length == 0) {
      throw new IllegalArgumentException("scores must hold at least one row");
    }
    int classes = -1;
    for (int r = 0; r < scores.length; r++) {
      double[] row = scores[r];
      if (row == null) {
        throw new IllegalArgumentException("scores[" + r + "] must not be null");
      }
      if (classes < 0) {
        classes = row.length;
      } else if (row.length != classes) {
        throw new IllegalArgumentException(
            "scores[" + r + "] has " + row.length + " columns, row 0 has " + classes);
      }
      for (int c = 0; c < row.length; c++) {
        if (!Double.isFinite(row[c])) {
          throw new IllegalArgumentException(
              "scores[" + r + "][" + c + "] = " + row[c] + ": scores must be finite");
        }
      }
    }
    if (classes == 0) {
      throw new IllegalArgumentException("scores must have at least one class (column)");
    }
    return classes;
  }

  static void requireTargetValues(LabelMatrix targets) {
    targets.requireValuesIn("-1, 0 or 1 (only 1 is a positive)", -1, 0, 1);
  }
}
