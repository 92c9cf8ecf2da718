package org.aevlp.labeler.batching;

/**
 * Observes a {@link DynamicBatcher} (for metrics). Methods are called on the batcher's and the
 * executors' threads and must be quick and thread-safe.
 */
public interface BatchListener {

  /** A listener that ignores everything. */
  BatchListener NONE = new BatchListener() {};

  /** A batch of {@code requests} requests holding {@code images} images was handed to an executor. */
  default void batchDispatched(int requests, int images) {}

  /** A request left the queue for a batch after waiting {@code nanos}. */
  default void queued(long nanos) {}

  /** A batch was computed in {@code nanos}, from dispatch to {@link Batch#finished()}. */
  default void computed(long nanos) {}

  /** A request was rejected or dropped without being computed. */
  default void dropped(DropReason reason) {}
}
