package org.aevlp.labeler.batching;

/** A request arrived while the batcher's queue was full; it was rejected without waiting. */
public final class QueueFullException extends RuntimeException {

  public QueueFullException(int capacity) {
    super("the labeler queue is full (" + capacity + " requests waiting); retry later");
  }
}
