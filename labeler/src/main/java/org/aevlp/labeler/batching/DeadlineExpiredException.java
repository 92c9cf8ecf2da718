package org.aevlp.labeler.batching;

/** A request's deadline passed while it was queued; it was dropped and not computed. */
public final class DeadlineExpiredException extends RuntimeException {

  public DeadlineExpiredException(String message) {
    super(message);
  }

  /** The exception of a request the batcher dropped after {@code queuedNanos} in the queue. */
  static DeadlineExpiredException afterQueueing(long queuedNanos) {
    return new DeadlineExpiredException(
        "deadline passed after " + queuedNanos / 1_000_000 + " ms in the queue; the request was not computed");
  }
}
