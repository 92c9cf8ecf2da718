package org.aevlp.common.image;

import java.util.Arrays;

/**
 * Per-channel standardisation {@code v'_c = (v_c − mean_c) / std_c} of a [0, 1] tensor.
 *
 * <p>{@link #IMAGENET} (mean 0.485, 0.456, 0.406; std 0.229, 0.224, 0.225) is the default for VLM
 * and backbone inputs because the reference code normalises CLIP inputs that way (DESIGN §4).
 */
public final class ImageNormalization {

  /** ImageNet statistics used by torchvision-pretrained backbones and the reference code. */
  public static final ImageNormalization IMAGENET =
      new ImageNormalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

  private final float[] mean;
  private final float[] std;

  /** One mean and one strictly positive standard deviation per channel. */
  public ImageNormalization(float[] mean, float[] std) {
    if (mean.length == 0 || mean.length != std.length) {
      throw new IllegalArgumentException(
          "mean and std need one value per channel each, got " + mean.length + " and " + std.length);
    }
    for (int c = 0; c < std.length; c++) {
      if (!(std[c] > 0)) {
        throw new IllegalArgumentException("std[" + c + "] must be > 0, got " + std[c]);
      }
    }
    this.mean = mean.clone();
    this.std = std.clone();
  }

  public float[] mean() {
    return mean.clone();
  }

  public float[] std() {
    return std.clone();
  }

  /** A new tensor with every channel standardised; the input is left unchanged. */
  public ChwTensor apply(ChwTensor tensor) {
    if (tensor.channels() != mean.length) {
      throw new IllegalArgumentException(
          "tensor has " + tensor.channels() + " channels, normalisation has " + mean.length);
    }
    int plane = tensor.height() * tensor.width();
    float[] in = tensor.values();
    float[] out = new float[in.length];
    for (int c = 0; c < mean.length; c++) {
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        out[i] = (in[i] - mean[c]) / std[c];
      }
    }
    return new ChwTensor(tensor.channels(), tensor.height(), tensor.width(), out);
  }

  /** {@code apply(ChwTensor.fromImage(image))}: the usual last step before a network. */
  public ChwTensor toTensor(RgbImage image) {
    return apply(ChwTensor.fromImage(image));
  }

  @Override
  public String toString() {
    return "ImageNormalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
