package org.aevlp.labeler.service;

import static org.aevlp.labeler.service.InvalidRequestException.invalid;

import org.aevlp.labeler.damp.DampParams;

/**
 * Turns a request's {@code DampParams} message into {@link DampParams}: unset fields take the
 * defaults of the experiment spec (temp 0.01, eta 0.1, threshold 0.5, grid_size 4, negative_ratio
 * 0.1, top_k the dataset's constant, negative_pseudo_labels and use_refinement false, local_views true); set fields
 * are checked, and a broken rule is reported naming {@code params.<field>}.
 */
public final class DampParamsResolver {

  public static final double DEFAULT_TEMP = 0.01;
  public static final double DEFAULT_ETA = 0.1;
  public static final double DEFAULT_THRESHOLD = 0.5;
  public static final int DEFAULT_GRID_SIZE = 4;
  public static final double DEFAULT_NEGATIVE_RATIO = 0.1;

  /** The parameters DAMP runs with and whether the text embeddings are GCN-refined. */
  public record Resolved(DampParams params, boolean useRefinement) {}

  private final int maxGridSize;

  /** @param maxGridSize the largest grid_size accepted (views grow as its square) */
  public DampParamsResolver(int maxGridSize) {
    if (maxGridSize < 1) {
      throw new IllegalArgumentException("maxGridSize must be >= 1, got " + maxGridSize);
    }
    this.maxGridSize = maxGridSize;
  }

  public int maxGridSize() {
    return maxGridSize;
  }

  /**
   * @param canRefine whether the dataset has a relation matrix
   * @throws InvalidRequestException naming the first field that breaks its rule
   */
  public Resolved resolve(org.aevlp.proto.v1.DampParams message, LabelerDataset dataset, boolean canRefine)
      throws InvalidRequestException {
    int classes = dataset.numClasses();
    double temp = message.hasTemp() ? message.getTemp() : DEFAULT_TEMP;
    if (!(Double.isFinite(temp) && temp > 0)) {
      throw invalid("params.temp", "must be finite and > 0, got " + temp);
    }
    double eta = unit("params.eta", message.hasEta() ? message.getEta() : DEFAULT_ETA);
    double threshold = unit("params.threshold", message.hasThreshold() ? message.getThreshold() : DEFAULT_THRESHOLD);
    double negativeRatio = unit(
        "params.negative_ratio", message.hasNegativeRatio() ? message.getNegativeRatio() : DEFAULT_NEGATIVE_RATIO);
    int gridSize = message.hasGridSize() ? message.getGridSize() : DEFAULT_GRID_SIZE;
    if (gridSize < 1 || gridSize > maxGridSize) {
      throw invalid("params.grid_size", "must be in [1, " + maxGridSize + "], got " + gridSize);
    }
    int topK = message.hasTopK() ? message.getTopK() : dataset.defaultTopK();
    if (topK < 1 || topK > classes) {
      throw invalid("params.top_k", "must be in [1, " + classes + "] (the classes of " + dataset.id() + "), got " + topK);
    }
    boolean useRefinement = message.hasUseRefinement() && message.getUseRefinement();
    if (useRefinement && !canRefine) {
      throw invalid("params.use_refinement", "dataset " + dataset.id() + " ships no relation matrix to refine with");
    }
    boolean negativeAsMinusOne = message.hasNegativePseudoLabels() && message.getNegativePseudoLabels();
    boolean localViews = !message.hasLocalViews() || message.getLocalViews();
    return new Resolved(
        new DampParams(temp, eta, threshold, gridSize, topK, negativeRatio, classes, negativeAsMinusOne, localViews),
        useRefinement);
  }

  private static double unit(String field, double value) throws InvalidRequestException {
    if (!(value >= 0 && value <= 1)) {
      throw invalid(field, "must be in [0, 1], got " + value);
    }
    return value;
  }
}
