package org.aevlp.labeler.vlm;

/**
 * Seeds of independent random streams derived from a root seed and a list of keys (epoch, image
 * index, ...), so a draw never depends on the order in which other draws were made:
 * {@code h = root}, then for each key {@code h = mix64(h + 0x9e3779b97f4a7c15 + key)} with
 * SplitMix64's finaliser.
 */
final class StreamSeeds {

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private StreamSeeds() {}

  static long of(long root, long... keys) {
    long h = root;
    for (long key : keys) {
      h = mix64(h + GOLDEN_GAMMA + key);
    }
    return h;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
