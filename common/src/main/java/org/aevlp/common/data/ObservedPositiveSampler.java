package org.aevlp.common.data;

import java.util.SplittableRandom;

/**
 * Draws the single observed positive of images whose observed label is not given, uniformly
 * among each image's clean positives.
 *
 * <p>Procedure: a stream {@code new SplittableRandom(seed)} yields one {@code nextLong()} per
 * image, in order, whether or not that image needs a draw; an image that does takes
 * {@code positives[new SplittableRandom(thatLong).nextInt(k)]} of its k positives in ascending
 * class order. So an image's draw depends only on the seed and its position, not on which other
 * images carry a given observed label.
 */
public final class ObservedPositiveSampler {

  private final SplittableRandom perImageSeeds;

  /** A sampler for one pass over the images in order. */
  public ObservedPositiveSampler(long seed) {
    this.perImageSeeds = new SplittableRandom(seed);
  }

  /** Advances past an image whose observed positive is given. */
  public void skip() {
    perImageSeeds.nextLong();
  }

  /** Draws the observed positive of the next image from its positives (ascending, non-empty). */
  public int draw(int[] sortedPositives) {
    if (sortedPositives.length == 0) {
      throw new IllegalArgumentException("an image needs at least one positive to draw from");
    }
    SplittableRandom imageRandom = new SplittableRandom(perImageSeeds.nextLong());
    return sortedPositives[imageRandom.nextInt(sortedPositives.length)];
  }
}
