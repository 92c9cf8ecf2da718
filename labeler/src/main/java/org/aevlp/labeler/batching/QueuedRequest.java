package org.aevlp.labeler.batching;

import java.util.concurrent.CompletableFuture;

/**
 * One request in a {@link DynamicBatcher}: the caller's work, its size in images, its deadline and
 * the future its caller waits on.
 */
public final class QueuedRequest<T, R> {

  /** Deadline value meaning "none". */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private final T work;
  private final int images;
  private final long enqueuedNanos;
  private final long deadlineNanos;
  private final CompletableFuture<R> result = new CompletableFuture<>();

  QueuedRequest(T work, int images, long enqueuedNanos, long deadlineNanos) {
    this.work = work;
    this.images = images;
    this.enqueuedNanos = enqueuedNanos;
    this.deadlineNanos = deadlineNanos;
  }

  public T work() {
    return work;
  }

  /** Images this request contributes to a batch's size. */
  public int images() {
    return images;
  }

  /** Completes the caller's future with {@code value} (no effect if it is already done). */
  public boolean complete(R value) {
    return result.complete(value);
  }

  /** Fails the caller's future (no effect if it is already done). */
  public boolean fail(Throwable error) {
    return result.completeExceptionally(error);
  }

  /** True once completed, failed or cancelled by its caller. */
  public boolean isDone() {
    return result.isDone();
  }

  long enqueuedNanos() {
    return enqueuedNanos;
  }

  /** Whether the deadline has passed at {@code nowNanos} (a {@link System#nanoTime()} reading). */
  boolean expiredAt(long nowNanos) {
    return deadlineNanos != NO_DEADLINE && nowNanos - deadlineNanos >= 0;
  }

  CompletableFuture<R> future() {
    return result;
  }
}
