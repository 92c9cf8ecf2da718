package org.aevlp.labeler.damp;

/**
 * Hyper-parameters of DAMP pseudo-labelling (DESIGN.md §4, "DAMP"). The field names of the
 * reference configuration are given in brackets; error messages use them.
 *
 * @param temp softmax temperature applied to the view cosine similarities ({@code temp}; 0.01 in
 *     the reference configs), finite and {@code > 0}
 * @param eta upper bound of the per-image gamma threshold ({@code eta}), in [0, 1]; it is used as
 *     its float32 value, see {@link #etaCap()}
 * @param threshold minimum {@code s_final} of a positive pseudo-label ({@code threshold}), in [0, 1]
 * @param gridSize g: the image is cut into g×g local views ({@code grid_size}), {@code >= 1}
 * @param topK at most this many positives per image ({@code top_k}), in [1, numClasses]
 * @param negativeRatio fraction of classes marked negative ({@code negative_ratio}), in [0, 1]
 * @param numClasses number of classes C ({@code num_classes}), {@code >= 1}
 * @param negativeAsMinusOne write negatives as −1 (the paper) instead of 0 (the reference code and
 *     the default; {@code negative_pseudo_labels})
 * @param localViews aggregate the local views (the method and the default; the spec's {@code
 *     damp_local_views}); false is the global-only ablation, see {@link DampAggregator}
 */
public record DampParams(
    double temp,
    double eta,
    double threshold,
    int gridSize,
    int topK,
    double negativeRatio,
    int numClasses,
    boolean negativeAsMinusOne,
    boolean localViews) {

  /** Parameters of DAMP as the method defines it: local views aggregated. */
  public DampParams(double temp, double eta, double threshold, int gridSize, int topK, double negativeRatio,
      int numClasses, boolean negativeAsMinusOne) {
    this(temp, eta, threshold, gridSize, topK, negativeRatio, numClasses, negativeAsMinusOne, true);
  }

  public DampParams {
    if (!(Double.isFinite(temp) && temp > 0)) {
      throw new IllegalArgumentException("DampParams.temp must be finite and > 0, got " + temp);
    }
    requireUnitInterval("eta", eta);
    requireUnitInterval("threshold", threshold);
    requireUnitInterval("negative_ratio", negativeRatio);
    if (gridSize < 1) {
      throw new IllegalArgumentException("DampParams.grid_size must be >= 1, got " + gridSize);
    }
    if (numClasses < 1) {
      throw new IllegalArgumentException("DampParams.num_classes must be >= 1, got " + numClasses);
    }
    if (topK < 1 || topK > numClasses) {
      throw new IllegalArgumentException(
          "DampParams.top_k must be in [1, num_classes=" + numClasses + "], got " + topK);
    }
  }

  /** Views per image: the global image plus the g×g tiles. */
  public int viewCount() {
    return gridSize * gridSize + 1;
  }

  /**
   * The cap on the per-image eta: the reference builds {@code torch.tensor(eta)}, a float32, so
   * 0.3 becomes 0.30000001192092896 even in a float64 run (QUIRKS D3).
   */
  public double etaCap() {
    return (float) eta;
  }

  /**
   * {@code int(negative_ratio · num_classes)}: the product in double, truncated (QUIRKS D7; 0.58·50
   * = 28.999999999999996 gives 28).
   */
  public int numNegatives() {
    return (int) (negativeRatio * numClasses);
  }

  private static void requireUnitInterval(String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("DampParams." + field + " must be in [0, 1], got " + value);
    }
  }
}
