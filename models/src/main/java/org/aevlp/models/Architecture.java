package org.aevlp.models;

import ai.djl.nn.Block;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.aevlp.models.resnet.ResNetBackbone;
import org.aevlp.models.resnet.ResNetLayout;
import org.aevlp.models.vlm.ImageTower;
import org.aevlp.models.vlm.TinyVlm;

/** The classifier backbones an experiment's {@code arch} can name. */
public enum Architecture {
  /** torchvision ResNet-18, 512 features, 11,176,512 backbone parameters. */
  RESNET18("resnet18", ResNetLayout.RESNET18),
  /** torchvision ResNet-34, 512 features. */
  RESNET34("resnet34", ResNetLayout.RESNET34),
  /** torchvision ResNet-50 (v1.5), 2048 features, 23,508,032 backbone parameters. */
  RESNET50("resnet50", ResNetLayout.RESNET50),
  /** torchvision ResNet-101 (v1.5), 2048 features. */
  RESNET101("resnet101", ResNetLayout.RESNET101),
  /** ResNet-18 at quarter width (16-32-64-128), 128 features, for quick from-scratch runs. */
  RESNET18_NARROW("resnet18-narrow", ResNetLayout.RESNET18_NARROW),
  /** The built-in tiny VLM's image tower (64-d embedding) as backbone. */
  TINY_VLM("tiny-vlm", null);

  private final String archName;
  private final ResNetLayout layout;

  Architecture(String archName, ResNetLayout layout) {
    this.archName = archName;
    this.layout = layout;
  }

  /**
   * The architecture called {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the {@code arch} field and the accepted names
   */
  public static Architecture fromName(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Architecture arch : values()) {
      if (arch.archName.equals(wanted)) {
        return arch;
      }
    }
    throw new IllegalArgumentException(
        "arch: unknown architecture '"
            + name
            + "'; expected one of "
            + Arrays.stream(values()).map(Architecture::archName).collect(Collectors.joining(", ")));
  }

  /** The name used in experiment specs and weight files. */
  public String archName() {
    return archName;
  }

  /** Number of features the backbone outputs (the head's fan-in). */
  public int featureDim() {
    return layout == null ? TinyVlm.EMBEDDING_DIM : layout.featureDim();
  }

  /** A new, uninitialised backbone block: N×3×H×W → N×{@link #featureDim()}. */
  public Block newBackbone() {
    return layout == null ? ImageTower.create() : ResNetBackbone.create(layout);
  }

  @Override
  public String toString() {
    return archName;
  }
}
