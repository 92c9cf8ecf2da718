package org.aevlp.labeler.batching;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * A batch formed by a {@link DynamicBatcher}: requests in arrival order. Its executor completes
 * (or fails) every request, then calls {@link #finished()}; calls after the first are ignored.
 */
public final class Batch<T, R> {

  private final List<QueuedRequest<T, R>> requests;
  private final int images;
  private final long dispatchedNanos;
  private final LongConsumer onFinished;
  private final AtomicBoolean finished = new AtomicBoolean();

  Batch(List<QueuedRequest<T, R>> requests, int images, long dispatchedNanos, LongConsumer onFinished) {
    this.requests = List.copyOf(requests);
    this.images = images;
    this.dispatchedNanos = dispatchedNanos;
    this.onFinished = onFinished;
  }

  /** The requests, oldest first. */
  public List<QueuedRequest<T, R>> requests() {
    return requests;
  }

  /** The requests' work, oldest first. */
  public List<T> work() {
    return requests.stream().map(QueuedRequest::work).toList();
  }

  /** Total images of the requests. */
  public int images() {
    return images;
  }

  /** Completes request i with {@code results.get(i)}. */
  public void completeAll(List<R> results) {
    if (results.size() != requests.size()) {
      throw new IllegalArgumentException(
          "a batch of " + requests.size() + " requests needs as many results, got " + results.size());
    }
    for (int i = 0; i < requests.size(); i++) {
      requests.get(i).complete(results.get(i));
    }
  }

  /** Fails every request not yet done with {@code error}. */
  public void failAll(Throwable error) {
    for (QueuedRequest<T, R> request : requests) {
      request.fail(error);
    }
  }

  /** Reports the batch computed, freeing its executor slot; only the first call counts. */
  public void finished() {
    if (finished.compareAndSet(false, true)) {
      onFinished.accept(System.nanoTime() - dispatchedNanos);
    }
  }
}
