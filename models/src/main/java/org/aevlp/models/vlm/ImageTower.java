package org.aevlp.models.vlm;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import org.aevlp.models.layers.TorchLikeLayers;

/**
 * The built-in tiny VLM's image encoder (DESIGN.md §6): input N×3×H×W, output N×64 (not
 * normalised).
 *
 * <pre>
 * 4 stages, widths 16-32-64-128, each:
 *   conv 3×3/2 pad 1 → BN → ReLU → conv 3×3 pad 1 → BN → ReLU
 * global average pool → linear 128 → 64
 * </pre>
 *
 * About 0.30 M parameters. Convs have no bias (a BN follows each); initialisation is PyTorch's
 * module defaults (see {@link TorchLikeLayers}), as in the PyTorch feasibility study.
 */
public final class ImageTower {

  /** Stage widths. */
  public static final int[] WIDTHS = {16, 32, 64, 128};

  private ImageTower() {}

  /** A new, uninitialised image tower. */
  public static SequentialBlock create() {
    SequentialBlock tower = new SequentialBlock();
    for (int width : WIDTHS) {
      tower.add(
          new SequentialBlock()
              .add(TorchLikeLayers.defaultConv(width, 3, 2, 1))
              .add(TorchLikeLayers.batchNorm())
              .add(Activation.reluBlock())
              .add(TorchLikeLayers.defaultConv(width, 3, 1, 1))
              .add(TorchLikeLayers.batchNorm())
              .add(Activation.reluBlock()));
    }
    tower.add(Pool.globalAvgPool2dBlock());
    tower.add(TorchLikeLayers.linear(WIDTHS[WIDTHS.length - 1], TinyVlm.EMBEDDING_DIM));
    return tower;
  }
}
