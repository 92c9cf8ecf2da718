package org.aevlp.models.resnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One residual unit: {@code y = relu(residual(x) + shortcut(x))}, where the shortcut is the
 * identity or, when the shape changes, a projection (1×1 conv + BN).
 *
 * <p>Children in parameter order: {@code residual}, then {@code shortcut} if present — the order of
 * torchvision's {@code conv1, bn1, …, downsample}.
 */
public final class ResidualUnit extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Block residual;
  private final Block shortcut;

  /**
   * @param residual the main path, ending in a batch norm (the ReLU comes after the sum)
   * @param shortcut the projection, or {@code null} for the identity
   */
  public ResidualUnit(Block residual, Block shortcut) {
    super(VERSION);
    this.residual = addChildBlock("residual", residual);
    this.shortcut = shortcut == null ? null : addChildBlock("shortcut", shortcut);
  }

  /** Whether this unit projects its input (stride or width change). */
  public boolean hasProjection() {
    return shortcut != null;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray main = residual.forward(parameterStore, inputs, training, params).singletonOrThrow();
    NDArray skip =
        shortcut == null
            ? inputs.singletonOrThrow()
            : shortcut.forward(parameterStore, inputs, training, params).singletonOrThrow();
    return new NDList(Activation.relu(main.add(skip)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return residual.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    residual.initialize(manager, dataType, inputShapes);
    if (shortcut != null) {
      shortcut.initialize(manager, dataType, inputShapes);
    }
  }
}
