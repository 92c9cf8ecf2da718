package org.aevlp.models.resnet;

import java.util.List;

/**
 * The shape of a torchvision-style ResNet: which residual unit, how many per stage, and the width
 * of the first stage (stem and stage widths are {@code baseWidth × {1, 2, 4, 8}}; bottleneck units
 * output 4× their stage width).
 *
 * @param unit basic (two 3×3 convs) or bottleneck (1×1, 3×3, 1×1)
 * @param stageDepths number of units in each of the four stages
 * @param baseWidth width of the stem and the first stage (64 in torchvision)
 */
public record ResNetLayout(Unit unit, List<Integer> stageDepths, int baseWidth) {

  /** The residual unit kind. */
  public enum Unit {
    /** Two 3×3 convs (ResNet-18/34), expansion 1. */
    BASIC(1),
    /** 1×1 reduce, 3×3 (carrying the stride, torchvision v1.5), 1×1 expand; expansion 4. */
    BOTTLENECK(4);

    private final int expansion;

    Unit(int expansion) {
      this.expansion = expansion;
    }

    /** Output width of a unit divided by its stage width. */
    public int expansion() {
      return expansion;
    }
  }

  /** torchvision's {@code resnet18}. */
  public static final ResNetLayout RESNET18 = new ResNetLayout(Unit.BASIC, List.of(2, 2, 2, 2), 64);

  /** torchvision's {@code resnet34}. */
  public static final ResNetLayout RESNET34 = new ResNetLayout(Unit.BASIC, List.of(3, 4, 6, 3), 64);

  /** torchvision's {@code resnet50}. */
  public static final ResNetLayout RESNET50 =
      new ResNetLayout(Unit.BOTTLENECK, List.of(3, 4, 6, 3), 64);

  /** torchvision's {@code resnet101}. */
  public static final ResNetLayout RESNET101 =
      new ResNetLayout(Unit.BOTTLENECK, List.of(3, 4, 23, 3), 64);

  /** ResNet-18 at quarter width (16-32-64-128) for quick from-scratch runs. */
  public static final ResNetLayout RESNET18_NARROW =
      new ResNetLayout(Unit.BASIC, List.of(2, 2, 2, 2), 16);

  /** Validates the layout. */
  public ResNetLayout {
    stageDepths = List.copyOf(stageDepths);
    if (stageDepths.size() != 4 || stageDepths.stream().anyMatch(d -> d < 1)) {
      throw new IllegalArgumentException(
          "stageDepths: need four positive stage depths, got " + stageDepths);
    }
    if (baseWidth < 1) {
      throw new IllegalArgumentException("baseWidth: must be positive, got " + baseWidth);
    }
  }

  /** Width of stage {@code index} (0-based) before expansion. */
  public int stageWidth(int index) {
    return baseWidth << index;
  }

  /** Number of features the backbone outputs after global average pooling. */
  public int featureDim() {
    return stageWidth(3) * unit.expansion();
  }
}
