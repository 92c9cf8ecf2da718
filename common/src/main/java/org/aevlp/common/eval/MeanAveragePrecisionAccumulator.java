package org.aevlp.common.eval;

import java.util.BitSet;

/**
 * Collects prediction rows of an evaluation set that arrive in shards (e.g. from several workers,
 * in any order) and computes {@link MeanAveragePrecision} once every sample is in.
 *
 * <p>Rows are placed by sample index (0 .. numSamples-1), so the result does not depend on the
 * order shards arrive in, and a sample delivered twice or never is an error rather than a silently
 * skewed mAP. Thread-safe.
 */
public final class MeanAveragePrecisionAccumulator {

  private final int numSamples;
  private final int numClasses;
  private final double[] scores;
  private final byte[] positives;
  private final BitSet seen;

  /**
   * @param numSamples rows of the whole evaluation set (>= 1)
   * @param numClasses classes per row (>= 1)
   */
  public MeanAveragePrecisionAccumulator(int numSamples, int numClasses) {
    if (numSamples < 1) {
      throw new IllegalArgumentException("numSamples must be >= 1, got " + numSamples);
    }
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
    }
    if ((long) numSamples * numClasses > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "numSamples x numClasses = "
              + ((long) numSamples * numClasses)
              + " exceeds one array; split the evaluation");
    }
    this.numSamples = numSamples;
    this.numClasses = numClasses;
    this.scores = new double[numSamples * numClasses];
    this.positives = new byte[numSamples * numClasses];
    this.seen = new BitSet(numSamples);
  }

  /**
   * Adds one shard: row {@code i} of {@code scores} and {@code targets} belongs to sample {@code
   * sampleIndices[i]}. The shard is checked whole before anything is stored, so a rejected shard
   * leaves the accumulator unchanged.
   *
   * @throws IllegalArgumentException for a bad shape, a non-finite score, a target outside {-1, 0,
   *     1}, an index out of range, or a sample already added (in this or an earlier shard)
   */
  public void add(int[] sampleIndices, double[][] scores, int[][] targets) {
    add(sampleIndices, scores, LabelMatrix.of("targets", targets));
  }

  /** As {@link #add(int[], double[][], int[][])} with byte targets. */
  public void add(int[] sampleIndices, double[][] scores, byte[][] targets) {
    add(sampleIndices, scores, LabelMatrix.of("targets", targets));
  }

  private synchronized void add(int[] sampleIndices, double[][] shardScores, LabelMatrix targets) {
    if (sampleIndices == null) {
      throw new IllegalArgumentException("sampleIndices must not be null");
    }
    if (sampleIndices.length == 0 && shardScores != null && shardScores.length == 0) {
      return; // an empty shard (more workers than samples) is legitimate
    }
    int classes = MeanAveragePrecision.requireScores(shardScores);
    if (classes != numClasses) {
      throw new IllegalArgumentException(
          "scores has " + classes + " columns, the accumulator expects " + numClasses);
    }
    if (sampleIndices.length != shardScores.length) {
      throw new IllegalArgumentException(
          "sampleIndices has "
              + sampleIndices.length
              + " entries but scores has "
              + shardScores.length
              + " rows");
    }
    targets.requireShape(shardScores.length, numClasses, "scores");
    MeanAveragePrecision.requireTargetValues(targets);
    BitSet inShard = new BitSet(numSamples);
    for (int i = 0; i < sampleIndices.length; i++) {
      int sample = sampleIndices[i];
      if (sample < 0 || sample >= numSamples) {
        throw new IllegalArgumentException(
            "sampleIndices[" + i + "] = " + sample + ": must be in [0, " + numSamples + ")");
      }
      if (seen.get(sample) || inShard.get(sample)) {
        throw new IllegalArgumentException(
            "sampleIndices[" + i + "] = " + sample + ": sample was already added");
      }
      inShard.set(sample);
    }
    for (int i = 0; i < sampleIndices.length; i++) {
      int base = sampleIndices[i] * numClasses;
      for (int c = 0; c < numClasses; c++) {
        scores[base + c] = shardScores[i][c];
        positives[base + c] = (byte) (targets.get(i, c) == 1 ? 1 : 0);
      }
    }
    seen.or(inShard);
  }

  /** Samples added so far. */
  public synchronized int added() {
    return seen.cardinality();
  }

  /** True once every sample has been added. */
  public synchronized boolean isComplete() {
    return seen.cardinality() == numSamples;
  }

  /** True if sample {@code sampleIndex} has been added. */
  public synchronized boolean contains(int sampleIndex) {
    return sampleIndex >= 0 && sampleIndex < numSamples && seen.get(sampleIndex);
  }

  /**
   * mAP over all samples.
   *
   * @throws IllegalStateException if some samples are missing (names how many and the first)
   */
  public synchronized MeanAveragePrecision result() {
    int missing = numSamples - seen.cardinality();
    if (missing > 0) {
      throw new IllegalStateException(
          missing
              + " of "
              + numSamples
              + " samples have no predictions yet (first missing: "
              + seen.nextClearBit(0)
              + ")");
    }
    return MeanAveragePrecision.compute(
        numSamples,
        numClasses,
        new MeanAveragePrecision.Table() {
          @Override
          public double score(int row, int col) {
            return scores[row * numClasses + col];
          }

          @Override
          public boolean positive(int row, int col) {
            return positives[row * numClasses + col] == 1;
          }
        });
  }
}
