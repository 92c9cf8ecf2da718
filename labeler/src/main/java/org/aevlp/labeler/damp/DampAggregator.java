package org.aevlp.labeler.damp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * DAMP pseudo-labels of one image from its view logits (DESIGN.md §4, "DAMP"; QUIRKS D1–D7, D12).
 *
 * <p>Input: the cosine similarities {@code cos_v[c]} between view v and class c, for views v = 0
 * (the global image) and v = 1 + y·g + x (the tile in grid row y, column x), and the observed
 * label vector y_obs. With {@code s_v = softmax(cos_v / temp)} over classes and, over the local
 * views v ≥ 1, {@code α = max_v s_v}, {@code β = min_v s_v}, {@code avg = mean_v s_v}:
 *
 * <pre>
 *   η        = min(max_c s_0[c]·y_obs[c], float32(eta))          (the observed class's score, capped)
 *   γ_c      = α_c &gt; η                                           (strict)
 *   s_final  = ½(s_0 + γ·α + (1 − γ)·β)
 *   sim      = ½(s_0 + avg)
 *   positive = c among the top_k of s_final with s_final[c] ≥ threshold
 *   negative = c among the int(negative_ratio·C) lowest sim       (product in double, truncated: D7)
 * </pre>
 *
 * <p>Global-only ablation ({@link DampParams#localViews()} false): the local views are not used;
 * α, β and avg are all s_0, so {@code s_final = s_0} and {@code sim = s_0}. The input still holds
 * every view (the labeler renders and caches them alike), only the aggregation changes.
 *
 * <p>Negatives are written as 0, as the reference code does (QUIRKS D1: they can only clear a
 * positive), or as −1 when {@link DampParams#negativeAsMinusOne()} is set (the paper). A class
 * that is both a positive and a negative ends as a negative.
 *
 * <p>The reference {@code get_pseudo_labels} also returns a first value, {@code acc_pseudo_labels}
 * (the dataset's stored pseudo-label row where non-zero, else the positives before the negative
 * step); its training loop discards it (QUIRKS D2), so it is not computed here.
 *
 * <p>Ties: the reference uses {@code torch.topk}, whose order among equal values is unspecified
 * (QUIRKS D12). Here equal values are ranked by ascending class index, in both the positive and
 * the negative ranking, so the result is deterministic.
 *
 * <p>Everything is computed in double precision; instances are immutable and thread-safe.
 */
public final class DampAggregator {

  private static final int SUM_LANES = 4;

  private final DampParams params;

  public DampAggregator(DampParams params) {
    this.params = Objects.requireNonNull(params, "params");
  }

  public DampParams params() {
    return params;
  }

  /**
   * Pseudo-labels of a batch, image by image.
   *
   * @param viewLogits [B][views][C] cosine similarities, per image as in {@link #aggregate(double[][],
   *     int[])}
   * @param observedLabels [B][C] observed labels
   */
  public List<DampResult> aggregate(double[][][] viewLogits, int[][] observedLabels) {
    if (viewLogits.length != observedLabels.length) {
      throw new IllegalArgumentException(
          "viewLogits has " + viewLogits.length + " images but observedLabels has "
              + observedLabels.length + " rows; they must match");
    }
    List<DampResult> results = new ArrayList<>(viewLogits.length);
    for (int i = 0; i < viewLogits.length; i++) {
      results.add(aggregate(viewLogits[i], observedLabels[i]));
    }
    return results;
  }

  /**
   * Pseudo-labels of one image.
   *
   * @param viewLogits [views][C] cosine similarities; row 0 the global image, row 1 + y·g + x the
   *     tile in grid row y, column x; views = g·g + 1, C = num_classes
   * @param observedLabels [C] observed labels, 0 or 1 (one positive in single-positive data; with
   *     none, η is 0)
   */
  public DampResult aggregate(double[][] viewLogits, int[] observedLabels) {
    int classes = params.numClasses();
    validate(viewLogits, observedLabels);

    double[] global = softmax(viewLogits[0], params.temp());
    double[] alpha = new double[classes];
    double[] beta = new double[classes];
    double[] localSum = new double[classes];
    Arrays.fill(alpha, Double.NEGATIVE_INFINITY);
    Arrays.fill(beta, Double.POSITIVE_INFINITY);
    // Global-only: the global view stands in as the single "local" view.
    int firstLocal = params.localViews() ? 1 : 0;
    int lastLocal = params.localViews() ? viewLogits.length - 1 : 0;
    for (int v = firstLocal; v <= lastLocal; v++) {
      double[] local = v == 0 ? global : softmax(viewLogits[v], params.temp());
      for (int c = 0; c < classes; c++) {
        alpha[c] = Math.max(alpha[c], local[c]);
        beta[c] = Math.min(beta[c], local[c]);
        localSum[c] += local[c];
      }
    }
    int localViews = lastLocal - firstLocal + 1;

    // The reference finds the observed class's score as max(s_global * label_vec).
    double observedScore = 0;
    for (int c = 0; c < classes; c++) {
      observedScore = Math.max(observedScore, global[c] * observedLabels[c]);
    }
    double eta = Math.min(observedScore, params.etaCap());

    boolean[] gamma = new boolean[classes];
    double[] simFinal = new double[classes];
    double[] sim = new double[classes];
    for (int c = 0; c < classes; c++) {
      gamma[c] = alpha[c] > eta;
      simFinal[c] = (global[c] + (gamma[c] ? alpha[c] : beta[c])) / 2;
      sim[c] = (global[c] + localSum[c] / localViews) / 2;
    }

    int[] positives = new int[classes];
    for (int c : rank(simFinal, params.topK(), true)) {
      if (simFinal[c] >= params.threshold()) {
        positives[c] = 1;
      }
    }
    int[] negatives = rank(sim, params.numNegatives(), false);
    Arrays.sort(negatives);
    int[] pseudoLabels = positives.clone();
    int negativeValue = params.negativeAsMinusOne() ? -1 : 0;
    for (int c : negatives) {
      pseudoLabels[c] = negativeValue;
    }
    return new DampResult(pseudoLabels, positives, simFinal, sim, alpha, beta, eta, gamma, negatives);
  }

  private void validate(double[][] viewLogits, int[] observedLabels) {
    int classes = params.numClasses();
    if (viewLogits.length != params.viewCount()) {
      throw new IllegalArgumentException(
          "viewLogits must have grid_size² + 1 = " + params.viewCount() + " views, got "
              + viewLogits.length);
    }
    for (int v = 0; v < viewLogits.length; v++) {
      if (viewLogits[v].length != classes) {
        throw new IllegalArgumentException(
            "viewLogits[" + v + "] must have num_classes = " + classes + " entries, got "
                + viewLogits[v].length);
      }
      for (int c = 0; c < classes; c++) {
        if (!Double.isFinite(viewLogits[v][c])) {
          throw new IllegalArgumentException(
              "viewLogits[" + v + "][" + c + "] must be finite, got " + viewLogits[v][c]);
        }
      }
    }
    if (observedLabels.length != classes) {
      throw new IllegalArgumentException(
          "observedLabels must have num_classes = " + classes + " entries, got "
              + observedLabels.length);
    }
    for (int c = 0; c < classes; c++) {
      if (observedLabels[c] != 0 && observedLabels[c] != 1) {
        throw new IllegalArgumentException(
            "observedLabels[" + c + "] must be 0 or 1, got " + observedLabels[c]);
      }
    }
  }

  /**
   * softmax(logits / temp) evaluated in the order of libtorch's CPU kernel that produced the
   * reference values: shift by the maximum, exp, sum the exponentials in {@value #SUM_LANES}
   * interleaved partial sums (element c goes to lane c mod 4, lanes then added in order, as its
   * 4-wide double vectors do), and multiply by the reciprocal of the sum. Any order is correct to
   * an ulp or two; this one makes the uncapped η equal the reference's to the last bit.
   */
  private static double[] softmax(double[] logits, double temp) {
    double[] exps = new double[logits.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < logits.length; c++) {
      exps[c] = logits[c] / temp;
      max = Math.max(max, exps[c]);
    }
    double[] lanes = new double[SUM_LANES];
    for (int c = 0; c < exps.length; c++) {
      exps[c] = Math.exp(exps[c] - max);
      lanes[c % SUM_LANES] += exps[c];
    }
    double sum = lanes[0];
    for (int lane = 1; lane < SUM_LANES; lane++) {
      sum += lanes[lane];
    }
    double reciprocal = 1 / sum;
    for (int c = 0; c < exps.length; c++) {
      exps[c] *= reciprocal;
    }
    return exps;
  }

  /** The {@code count} classes with the largest (or smallest) values; ties by lower index. */
  private static int[] rank(double[] values, int count, boolean largest) {
    Integer[] order = new Integer[values.length];
    for (int c = 0; c < order.length; c++) {
      order[c] = c;
    }
    // Arrays.sort on objects is stable, so equal values keep ascending class order.
    Arrays.sort(order, (a, b) -> largest
        ? Double.compare(values[b], values[a])
        : Double.compare(values[a], values[b]));
    int[] top = new int[count];
    for (int i = 0; i < count; i++) {
      top[i] = order[i];
    }
    return top;
  }
}
