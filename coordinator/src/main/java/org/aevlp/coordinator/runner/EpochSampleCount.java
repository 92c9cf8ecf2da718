package org.aevlp.coordinator.runner;

/**
 * How an epoch used the training set (one line of {@code sample-counts.jsonl}): every sample of
 * the plan must be trained on exactly once, whatever workers failed.
 *
 * @param epoch 1-based epoch
 * @param planned samples in the epoch plan
 * @param trained samples whose gradient entered a reduced step
 * @param distinct distinct samples among those
 * @param maxUses most times one sample was trained on (1 when nothing was counted twice)
 * @param skipped planned samples left out because their image could not be read
 * @param microbatchesRerun micro-batches re-run on another worker after a failure
 */
public record EpochSampleCount(
    int epoch, int planned, long trained, int distinct, int maxUses, long skipped, int microbatchesRerun) {

  /** Whether every planned sample was trained on exactly once (skipped images aside). */
  public boolean exactlyOnce() {
    return maxUses <= 1 && distinct == trained && trained + skipped == planned;
  }
}
