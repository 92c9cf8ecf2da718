package org.aevlp.labeler.batching;

/** The batcher is shut down (or shut down while the request was queued). */
public final class BatcherClosedException extends RuntimeException {

  public BatcherClosedException() {
    super("the labeler is shutting down");
  }
}
