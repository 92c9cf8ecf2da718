package org.aevlp.labeler.batching;

/**
 * Computes the batches a {@link DynamicBatcher} forms. {@link #dispatch} hands the batch over and
 * returns; whoever computes it completes every request of it (see {@link Batch}) and then calls
 * {@link Batch#finished()}, which lets the batcher dispatch another batch.
 */
@FunctionalInterface
public interface BatchDispatcher<T, R> {

  /** Starts computing {@code batch}; must not block on the computation. */
  void dispatch(Batch<T, R> batch);
}
