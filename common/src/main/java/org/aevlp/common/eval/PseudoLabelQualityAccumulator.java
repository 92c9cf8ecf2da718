package org.aevlp.common.eval;

/**
 * Sums {@link PseudoLabelCounts} over the batches of an epoch (from any number of workers) and
 * gives the epoch's {@link PseudoLabelQuality}. Because the counts are additive, the result equals
 * evaluating all batches stacked into one matrix. Thread-safe.
 */
public final class PseudoLabelQualityAccumulator {

  private PseudoLabelCounts total = PseudoLabelCounts.ZERO;

  /** Adds one batch of N x C matrices (see {@link PseudoLabelCounts#count}). */
  public void add(int[][] pseudo, int[][] observed, int[][] truth) {
    add(PseudoLabelCounts.count(pseudo, observed, truth));
  }

  /** As {@link #add(int[][], int[][], int[][])} with byte matrices. */
  public void add(byte[][] pseudo, byte[][] observed, byte[][] truth) {
    add(PseudoLabelCounts.count(pseudo, observed, truth));
  }

  /** Adds counts computed elsewhere (e.g. on a worker). */
  public synchronized void add(PseudoLabelCounts counts) {
    if (counts == null) {
      throw new IllegalArgumentException("counts must not be null");
    }
    total = total.plus(counts);
  }

  /** Sum of everything added so far. */
  public synchronized PseudoLabelCounts counts() {
    return total;
  }

  /** Precision, recall and F1 of everything added so far. */
  public synchronized PseudoLabelQuality quality() {
    return total.quality();
  }
}
