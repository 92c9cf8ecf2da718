package org.aevlp.coordinator.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The order in which one epoch visits the training set, cut into global batches (DESIGN §3).
 *
 * <p>The permutation is a Fisher–Yates shuffle driven by {@code SplittableRandom(seed)} advanced
 * by the epoch number, so every epoch has its own order and the same (seed, epoch) always gives
 * the same one. The last batch keeps the remainder, as PyTorch's DataLoader does by default.
 */
public record EpochPlan(int epoch, int batchSize, int[] order) {

  public EpochPlan {
    if (batchSize < 1) {
      throw new IllegalArgumentException("bsize: must be >= 1, got " + batchSize);
    }
    order = order.clone();
  }

  /** The plan of a 1-based epoch over {@code sampleCount} samples. */
  public static EpochPlan of(long seed, int epoch, int sampleCount, int batchSize) {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch: must be >= 1, got " + epoch);
    }
    int[] order = new int[sampleCount];
    for (int i = 0; i < sampleCount; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int e = 1; e < epoch; e++) {
      random = random.split();
    }
    for (int i = sampleCount - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return new EpochPlan(epoch, batchSize, order);
  }

  public int steps() {
    return (order.length + batchSize - 1) / batchSize;
  }

  public int sampleCount() {
    return order.length;
  }

  /** Sample indices of the global batch of a 0-based step. */
  public int[] batch(int step) {
    if (step < 0 || step >= steps()) {
      throw new IndexOutOfBoundsException("step " + step + " of " + steps());
    }
    int from = step * batchSize;
    return Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
  }

  /**
   * Splits a global batch into {@code parts} contiguous micro-batches whose sizes differ by at most
   * one (the first ones get the extra samples). Never returns an empty micro-batch: with fewer
   * samples than parts, only as many parts as samples.
   */
  public static List<int[]> split(int[] batch, int parts) {
    if (parts < 1) {
      throw new IllegalArgumentException("parts: must be >= 1, got " + parts);
    }
    int used = Math.min(parts, batch.length);
    List<int[]> micro = new ArrayList<>(used);
    int from = 0;
    for (int p = 0; p < used; p++) {
      int size = batch.length / used + (p < batch.length % used ? 1 : 0);
      micro.add(Arrays.copyOfRange(batch, from, from + size));
      from += size;
    }
    return micro;
  }

  @Override
  public int[] order() {
    return order.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EpochPlan p && p.epoch == epoch && p.batchSize == batchSize && Arrays.equals(p.order, order);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(order) * 31 + epoch;
  }

  @Override
  public String toString() {
    return "EpochPlan[epoch=" + epoch + ", samples=" + order.length + ", bsize=" + batchSize + "]";
  }
}
