package org.aevlp.labeler.text;

import java.util.Arrays;

/**
 * The C×C adjacency of the label-relation GCN, built from a label-similarity matrix R (DESIGN.md
 * §4, text embeddings; the reference's {@code gcn_relation}):
 *
 * <pre>
 *   keep R[i][j] if j is among the sparse_topk largest entries of row i (the diagonal competes
 *   like any other entry), else 0;  zero the diagonal;
 *   A[i][j] = R'[i][j] / Σ_j R'[i][j] · reweight_p   (j ≠ i),     A[i][i] = 1 − reweight_p
 * </pre>
 *
 * <p>So every row sums to 1: a class keeps {@code 1 − reweight_p} of itself and takes
 * {@code reweight_p} from its strongest neighbours. The relation matrices shipped with the method
 * are float32; pass them widened to double (exact), the computation is in double.
 *
 * <p>Choices where the reference is silent or breaks: equal entries at the sparse_topk boundary
 * are kept in ascending column order ({@code torch.topk} leaves the order unspecified; the shipped
 * matrices have no such ties); a row whose kept off-diagonal entries sum to 0 is rejected (the
 * reference would divide 0 by 0 and fill the row with NaN). The reference also derives a
 * temperature-softmaxed {@code relation} that its generator never uses; it is not built here.
 */
public final class RelationAdjacency {

  private final double[][] weights;

  private RelationAdjacency(double[][] weights) {
    this.weights = weights;
  }

  /**
   * Builds the adjacency.
   *
   * @param relation C×C label similarities, finite
   * @param sparseTopk entries kept per row before the diagonal is removed, in [1, C]
   * @param reweightP total weight given to the neighbours, in [0, 1]
   */
  public static RelationAdjacency fromRelation(double[][] relation, int sparseTopk, double reweightP) {
    int classes = relation.length;
    validate(relation, sparseTopk, reweightP);
    double[][] weights = new double[classes][];
    for (int i = 0; i < classes; i++) {
      double[] kept = new double[classes];
      for (int j : largest(relation[i], sparseTopk)) {
        kept[j] = relation[i][j];
      }
      kept[i] = 0;
      double sum = 0;
      for (double value : kept) {
        sum += value;
      }
      if (sum == 0) {
        throw new IllegalArgumentException(
            "relation row " + i + ": the off-diagonal entries kept by sparse_topk=" + sparseTopk
                + " sum to 0, so the row cannot be rescaled to reweight_p");
      }
      for (int j = 0; j < classes; j++) {
        kept[j] = kept[j] / sum * reweightP;
      }
      kept[i] = 1 - reweightP;
      weights[i] = kept;
    }
    return new RelationAdjacency(weights);
  }

  /** Number of classes C. */
  public int size() {
    return weights.length;
  }

  /** A[row][col]. */
  public double weight(int row, int col) {
    return weights[row][col];
  }

  /** A copy of the C×C matrix. */
  public double[][] toArray() {
    double[][] copy = new double[weights.length][];
    for (int i = 0; i < weights.length; i++) {
      copy[i] = weights[i].clone();
    }
    return copy;
  }

  private static void validate(double[][] relation, int sparseTopk, double reweightP) {
    int classes = relation.length;
    if (classes == 0) {
      throw new IllegalArgumentException("relation must have at least one row");
    }
    for (int i = 0; i < classes; i++) {
      if (relation[i].length != classes) {
        throw new IllegalArgumentException(
            "relation must be square: row " + i + " has " + relation[i].length + " entries, expected "
                + classes);
      }
      for (int j = 0; j < classes; j++) {
        if (!Double.isFinite(relation[i][j])) {
          throw new IllegalArgumentException(
              "relation[" + i + "][" + j + "] must be finite, got " + relation[i][j]);
        }
      }
    }
    if (sparseTopk < 1 || sparseTopk > classes) {
      throw new IllegalArgumentException(
          "sparse_topk must be in [1, " + classes + "], got " + sparseTopk);
    }
    if (!(reweightP >= 0 && reweightP <= 1)) {
      throw new IllegalArgumentException("reweight_p must be in [0, 1], got " + reweightP);
    }
  }

  /** Column indices of the {@code count} largest values; equal values in ascending column order. */
  private static int[] largest(double[] row, int count) {
    Integer[] order = new Integer[row.length];
    for (int j = 0; j < order.length; j++) {
      order[j] = j;
    }
    // A stable sort keeps equal values in column order.
    Arrays.sort(order, (a, b) -> Double.compare(row[b], row[a]));
    int[] top = new int[count];
    for (int k = 0; k < count; k++) {
      top[k] = order[k];
    }
    return top;
  }
}
