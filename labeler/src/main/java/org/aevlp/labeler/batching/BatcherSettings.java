package org.aevlp.labeler.batching;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a {@link DynamicBatcher}.
 *
 * @param maxBatchImages a batch is dispatched as soon as its work adds up to this many images;
 *     a single request larger than that forms a batch of its own; at least 1 (1 disables batching)
 * @param maxDelay the longest the oldest queued request waits for others to join its batch; zero
 *     dispatches whatever is queued whenever an executor is free
 * @param queueCapacity requests that may wait; one more is rejected at once; at least 1
 * @param maxInFlight batches being computed at the same time (the number of executors); at least 1
 */
public record BatcherSettings(int maxBatchImages, Duration maxDelay, int queueCapacity, int maxInFlight) {

  public BatcherSettings {
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxBatchImages < 1) {
      throw new IllegalArgumentException("max batch images must be >= 1, got " + maxBatchImages);
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("max delay must be >= 0, got " + maxDelay);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be >= 1, got " + queueCapacity);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("max in-flight batches must be >= 1, got " + maxInFlight);
    }
  }
}
