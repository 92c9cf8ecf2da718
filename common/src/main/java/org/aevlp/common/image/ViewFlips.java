package org.aevlp.common.image;

/**
 * Whether a view is mirrored left-right: the "dynamic augmentation" of DAMP (DESIGN.md §4) and the
 * training flip of the worker; drawn afresh every epoch but reproducible from (seed, epoch, sample index, view index).
 *
 * <p>The draw is a hash, so it needs no state and any worker can recompute any view's flip:
 * {@code h = seed}, then for each key k of (epoch, sampleIndex, viewIndex) in that order
 * {@code h = mix64(h + 0x9e3779b97f4a7c15 + k)}, where mix64 is the SplitMix64 finaliser
 * ({@code z ^= z >>> 30; z *= 0xbf58476d1ce4e5b9; z ^= z >>> 27; z *= 0x94d049bb133111eb;
 * z ^= z >>> 31}); the view is flipped iff the top bit of h is set ({@code h < 0}). The reference
 * uses torch's global RNG instead, so its flips are not reproducible.
 *
 * @param seed the run's augmentation seed
 */
public record ViewFlips(long seed) {

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  /**
   * Whether view {@code viewIndex} (0 the global image, 1 + y·g + x a tile) of sample
   * {@code sampleIndex} is flipped in {@code epoch}; all three must be {@code >= 0}.
   */
  public boolean isFlipped(int epoch, int sampleIndex, int viewIndex) {
    requireNonNegative("epoch", epoch);
    requireNonNegative("sampleIndex", sampleIndex);
    requireNonNegative("viewIndex", viewIndex);
    long h = seed;
    h = mix64(h + GOLDEN_GAMMA + epoch);
    h = mix64(h + GOLDEN_GAMMA + sampleIndex);
    h = mix64(h + GOLDEN_GAMMA + viewIndex);
    return h < 0;
  }

  /** The flips of views 0 .. viewCount − 1 of one sample in one epoch. */
  public boolean[] forSample(int epoch, int sampleIndex, int viewCount) {
    requireNonNegative("viewCount", viewCount);
    boolean[] flips = new boolean[viewCount];
    for (int v = 0; v < viewCount; v++) {
      flips[v] = isFlipped(epoch, sampleIndex, v);
    }
    return flips;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static void requireNonNegative(String field, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
  }
}
