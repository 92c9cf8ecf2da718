package org.aevlp.common.image;

import java.util.List;

/**
 * The outcome of decoding a batch of paths: the images that could be read and the samples that
 * were skipped, each list in request order. Together they cover every requested index once.
 */
public record DecodedBatch(List<DecodedImage> images, List<SkippedSample> skipped) {

  public DecodedBatch {
    images = List.copyOf(images);
    skipped = List.copyOf(skipped);
  }
}
