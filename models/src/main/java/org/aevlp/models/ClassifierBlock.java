package org.aevlp.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A multi-label classifier: {@code logits = head(flatten(backbone(x)))}, N×3×H×W → N×C logits (no
 * sigmoid: the losses take logits).
 *
 * <p>Children in parameter order: {@code backbone}, then {@code head}; parameter names are prefixed
 * {@code 01backbone_} and {@code 02head_}. The backbone may be a DJL block or an imported
 * TorchScript module whose output is flattened to N×F.
 */
public final class ClassifierBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Block backbone;
  private final Block head;
  private final long featureDim;

  /**
   * @param backbone N×3×H×W → N×F (or N×F×1×1)
   * @param head N×F → N×C
   * @param featureDim F
   */
  public ClassifierBlock(Block backbone, Block head, long featureDim) {
    super(VERSION);
    this.backbone = addChildBlock("backbone", backbone);
    this.head = addChildBlock("head", head);
    this.featureDim = featureDim;
  }

  /** The feature extractor. */
  public Block backbone() {
    return backbone;
  }

  /** The linear multi-label head. */
  public Block head() {
    return head;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray features = backbone.forward(parameterStore, inputs, training, params).head();
    if (features.getShape().dimension() != 2) {
      features = features.reshape(features.getShape().get(0), featureDim);
    }
    return head.forward(parameterStore, new NDList(features), training, params);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return head.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), featureDim)});
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, inputShapes);
    head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), featureDim));
  }
}
