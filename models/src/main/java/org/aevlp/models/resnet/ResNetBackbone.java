package org.aevlp.models.resnet;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import org.aevlp.models.layers.TorchLikeLayers;

/**
 * Builds a torchvision-layout ResNet backbone from DJL blocks: input N×3×H×W, output N×F features
 * (F = {@link ResNetLayout#featureDim()}).
 *
 * <pre>
 * stem:   conv 7×7/2 pad 3 (no bias) → BN → ReLU → max-pool 3×3/2 pad 1
 * stages: 4 stages of residual units; the first unit of stages 2–4 has stride 2; a unit whose
 *         stride is 2 or whose input width differs from its output width gets a 1×1 conv + BN
 *         projection shortcut
 * basic:      conv 3×3/s → BN → ReLU → conv 3×3 → BN
 * bottleneck: conv 1×1 → BN → ReLU → conv 3×3/s → BN → ReLU → conv 1×1 (×4 width) → BN
 * head-less:  global average pool → N×F
 * </pre>
 *
 * Works at any input size of at least 32×32 (five halvings leave at least one pixel).
 * Initialisation is torchvision's (see {@link TorchLikeLayers}).
 */
public final class ResNetBackbone {

  private ResNetBackbone() {}

  /** A new, uninitialised backbone for {@code layout}. */
  public static SequentialBlock create(ResNetLayout layout) {
    SequentialBlock backbone = new SequentialBlock();
    backbone.add(stem(layout.baseWidth()));
    int inWidth = layout.baseWidth();
    for (int stage = 0; stage < 4; stage++) {
      SequentialBlock units = new SequentialBlock();
      int width = layout.stageWidth(stage);
      int outWidth = width * layout.unit().expansion();
      for (int i = 0; i < layout.stageDepths().get(stage); i++) {
        int stride = (stage > 0 && i == 0) ? 2 : 1;
        units.add(unit(layout.unit(), inWidth, width, stride));
        inWidth = outWidth;
      }
      backbone.add(units);
    }
    backbone.add(Pool.globalAvgPool2dBlock());
    return backbone;
  }

  private static Block stem(int width) {
    return new SequentialBlock()
        .add(TorchLikeLayers.kaimingConv(width, 7, 2, 3))
        .add(TorchLikeLayers.batchNorm())
        .add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
  }

  private static ResidualUnit unit(ResNetLayout.Unit kind, int inWidth, int width, int stride) {
    int outWidth = width * kind.expansion();
    SequentialBlock residual = new SequentialBlock();
    if (kind == ResNetLayout.Unit.BASIC) {
      residual
          .add(TorchLikeLayers.kaimingConv(width, 3, stride, 1))
          .add(TorchLikeLayers.batchNorm())
          .add(Activation.reluBlock())
          .add(TorchLikeLayers.kaimingConv(width, 3, 1, 1))
          .add(TorchLikeLayers.batchNorm());
    } else {
      residual
          .add(TorchLikeLayers.kaimingConv(width, 1, 1, 0))
          .add(TorchLikeLayers.batchNorm())
          .add(Activation.reluBlock())
          .add(TorchLikeLayers.kaimingConv(width, 3, stride, 1))
          .add(TorchLikeLayers.batchNorm())
          .add(Activation.reluBlock())
          .add(TorchLikeLayers.kaimingConv(outWidth, 1, 1, 0))
          .add(TorchLikeLayers.batchNorm());
    }
    Block shortcut = null;
    if (stride != 1 || inWidth != outWidth) {
      shortcut =
          new SequentialBlock()
              .add(TorchLikeLayers.kaimingConv(outWidth, 1, stride, 0))
              .add(TorchLikeLayers.batchNorm());
    }
    return new ResidualUnit(residual, shortcut);
  }
}
