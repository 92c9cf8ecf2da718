package org.aevlp.models;

/**
 * What classifier to build.
 *
 * @param arch the backbone
 * @param numClasses number of logits of the multi-label head (≥ 1)
 * @param imageSize side of the square input images (≥ 32: the ResNets halve the input five times)
 */
public record NetworkSpec(Architecture arch, int numClasses, int imageSize) {

  /** Smallest accepted image side. */
  public static final int MIN_IMAGE_SIZE = 32;

  /** Validates the spec; errors name the field. */
  public NetworkSpec {
    if (arch == null) {
      throw new IllegalArgumentException("arch: must be set");
    }
    if (numClasses < 1) {
      throw new IllegalArgumentException("num_classes: must be at least 1, got " + numClasses);
    }
    if (imageSize < MIN_IMAGE_SIZE) {
      throw new IllegalArgumentException(
          "image_size: must be at least " + MIN_IMAGE_SIZE + ", got " + imageSize);
    }
  }

  /** The spec for an architecture given by name (see {@link Architecture#fromName}). */
  public static NetworkSpec of(String arch, int numClasses, int imageSize) {
    return new NetworkSpec(Architecture.fromName(arch), numClasses, imageSize);
  }
}
