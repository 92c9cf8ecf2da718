package org.aevlp.labeler.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Groups requests into batches for a pool of executors (dynamic batching): a batch is dispatched
 * when an executor is free and either its requests add up to {@code maxBatchImages} images or its
 * oldest request has waited {@code maxDelay}, whichever comes first.
 *
 * <ul>
 *   <li>Batches keep arrival order; a batch stops before the first request that would take it past
 *       {@code maxBatchImages} (a larger request travels alone).
 *   <li>When several executors are free at once, the queued work is shared among them: a batch
 *       takes at most {@code ⌈queued images / free executors⌉}, so no executor idles while
 *       another computes everything.
 *   <li>While every executor is busy no batch is formed, so requests accumulate and the next batch
 *       is bigger: under load batches grow, idle latency stays at most {@code maxDelay}.
 *   <li>The queue holds at most {@code queueCapacity} requests; one more fails at once with
 *       {@link QueueFullException}.
 *   <li>A request whose deadline has passed when its batch is formed is dropped, not computed, and
 *       fails with {@link DeadlineExpiredException}. A request its caller cancels (through the
 *       returned future) leaves the queue at once.
 * </ul>
 *
 * <p>One daemon thread forms batches; {@link BatchDispatcher#dispatch} runs on it. Thread-safe.
 *
 * @param <T> the work of one request
 * @param <R> its result
 */
public final class DynamicBatcher<T, R> implements AutoCloseable {

  private final BatcherSettings settings;
  private final BatchDispatcher<T, R> dispatcher;
  private final BatchListener listener;
  private final long maxDelayNanos;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<QueuedRequest<T, R>> queue = new ArrayDeque<>();
  private int queuedImages;
  private boolean closed;

  private final Semaphore executorSlots;
  private final Thread former;

  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong expired = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();

  public DynamicBatcher(
      String name, BatcherSettings settings, BatchDispatcher<T, R> dispatcher, BatchListener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.maxDelayNanos = settings.maxDelay().toNanos();
    this.executorSlots = new Semaphore(settings.maxInFlight());
    this.former = new Thread(this::formBatches, name + "-batcher");
    former.setDaemon(true);
    former.start();
  }

  public BatcherSettings settings() {
    return settings;
  }

  /**
   * Queues {@code work}.
   *
   * @param images its size towards {@code maxBatchImages}, at least 1
   * @param deadlineNanos a {@link System#nanoTime()} reading after which it must not be started, or
   *     {@link QueuedRequest#NO_DEADLINE}
   * @return the result; failed at once with {@link QueueFullException} when the queue is full, or
   *     {@link BatcherClosedException} after {@link #close()}. Cancelling it (or failing it) while
   *     the request is queued withdraws the request; failing it with a {@link
   *     DeadlineExpiredException} counts the request as expired
   */
  public CompletableFuture<R> submit(T work, int images, long deadlineNanos) {
    if (images < 1) {
      throw new IllegalArgumentException("images must be >= 1, got " + images);
    }
    QueuedRequest<T, R> request = new QueuedRequest<>(work, images, System.nanoTime(), deadlineNanos);
    lock.lock();
    try {
      if (closed) {
        request.fail(new BatcherClosedException());
        return request.future();
      }
      if (queue.size() >= settings.queueCapacity()) {
        rejected.incrementAndGet();
        listener.dropped(DropReason.REJECTED);
        request.fail(new QueueFullException(settings.queueCapacity()));
        return request.future();
      }
      queue.addLast(request);
      queuedImages += images;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    // Completed by someone else while still queued (cancelled, or failed by its caller): withdraw it.
    request.future().whenComplete((result, error) -> withdraw(request, error));
    return request.future();
  }

  /** Requests waiting in the queue. */
  public int queueDepth() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Requests rejected because the queue was full. */
  public long rejectedCount() {
    return rejected.get();
  }

  /** Requests dropped because their deadline passed while queued. */
  public long expiredCount() {
    return expired.get();
  }

  /** Requests withdrawn by their callers while queued. */
  public long cancelledCount() {
    return cancelled.get();
  }

  /** Requests that left the queue without being computed: expired plus cancelled. */
  public long droppedCount() {
    return expired.get() + cancelled.get();
  }

  /** Batches handed to the dispatcher. */
  public long batchCount() {
    return batches.get();
  }

  /**
   * Stops forming batches and fails every queued request with {@link BatcherClosedException}.
   * Batches already dispatched are left to their executors.
   */
  @Override
  public void close() {
    List<QueuedRequest<T, R>> abandoned;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      abandoned = new ArrayList<>(queue);
      queue.clear();
      queuedImages = 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    former.interrupt();
    for (QueuedRequest<T, R> request : abandoned) {
      listener.dropped(DropReason.CLOSED);
      request.fail(new BatcherClosedException());
    }
    try {
      former.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void withdraw(QueuedRequest<T, R> request, Throwable error) {
    lock.lock();
    try {
      // Requests the batcher took or dropped itself are no longer queued: nothing to do.
      if (!queue.remove(request)) {
        return;
      }
      queuedImages -= request.images();
    } finally {
      lock.unlock();
    }
    // A request withdrawn because its deadline passed counts as expired: it was dropped for that.
    boolean deadlinePassed =
        error instanceof DeadlineExpiredException || request.expiredAt(System.nanoTime());
    (deadlinePassed ? expired : cancelled).incrementAndGet();
    listener.dropped(deadlinePassed ? DropReason.EXPIRED : DropReason.CANCELLED);
  }

  /** The batch-forming loop: wait for a free executor, then for a batch, then dispatch it. */
  private void formBatches() {
    while (true) {
      try {
        executorSlots.acquire();
      } catch (InterruptedException e) {
        return;
      }
      Batch<T, R> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        executorSlots.release();
        return;
      }
      if (batch == null) {
        executorSlots.release();
        return;
      }
      batches.incrementAndGet();
      listener.batchDispatched(batch.requests().size(), batch.images());
      try {
        dispatcher.dispatch(batch);
      } catch (RuntimeException e) {
        batch.failAll(e);
        batch.finished();
      }
    }
  }

  /** Waits until a batch is due and takes it from the queue; null once closed. */
  private Batch<T, R> nextBatch() throws InterruptedException {
    while (true) {
      List<QueuedRequest<T, R>> dropped = new ArrayList<>();
      List<QueuedRequest<T, R>> taken = new ArrayList<>();
      int images = 0;
      long now;
      lock.lock();
      try {
        while (true) {
          if (closed) {
            return null;
          }
          now = System.nanoTime();
          removeExpired(now, dropped);
          if (queue.isEmpty()) {
            if (!dropped.isEmpty()) {
              break;
            }
            changed.await();
            continue;
          }
          long waitNanos = queue.peekFirst().enqueuedNanos() + maxDelayNanos - now;
          if (queuedImages >= settings.maxBatchImages() || waitNanos <= 0) {
            break;
          }
          changed.awaitNanos(waitNanos);
        }
        int limit = shareLimit();
        Iterator<QueuedRequest<T, R>> oldestFirst = queue.iterator();
        while (oldestFirst.hasNext()) {
          QueuedRequest<T, R> request = oldestFirst.next();
          if (!taken.isEmpty() && images + request.images() > limit) {
            break;
          }
          oldestFirst.remove();
          queuedImages -= request.images();
          taken.add(request);
          images += request.images();
        }
      } finally {
        lock.unlock();
      }
      // Futures are completed outside the lock: their callbacks may call back into the batcher.
      for (QueuedRequest<T, R> request : dropped) {
        expired.incrementAndGet();
        listener.dropped(DropReason.EXPIRED);
        request.fail(DeadlineExpiredException.afterQueueing(now - request.enqueuedNanos()));
      }
      if (!taken.isEmpty()) {
        for (QueuedRequest<T, R> request : taken) {
          listener.queued(now - request.enqueuedNanos());
        }
        return new Batch<>(taken, images, now, this::batchFinished);
      }
      // Only expired requests were found: wait again for live ones.
    }
  }

  /**
   * The most images the batch being formed may take: {@code maxBatchImages}, or less when other
   * executors are free too, so that the queue is shared among them ({@code ⌈queued images / free
   * executors⌉}) instead of one executor computing everything while the others idle. Lock held.
   */
  private int shareLimit() {
    int freeExecutors = 1 + executorSlots.availablePermits();
    int share = (queuedImages + freeExecutors - 1) / freeExecutors;
    return Math.max(1, Math.min(settings.maxBatchImages(), share));
  }

  /** Moves every queued request whose deadline has passed into {@code dropped}; lock held. */
  private void removeExpired(long now, List<QueuedRequest<T, R>> dropped) {
    Iterator<QueuedRequest<T, R>> it = queue.iterator();
    while (it.hasNext()) {
      QueuedRequest<T, R> request = it.next();
      if (request.expiredAt(now)) {
        it.remove();
        queuedImages -= request.images();
        dropped.add(request);
      }
    }
  }

  private void batchFinished(long computeNanos) {
    listener.computed(computeNanos);
    executorSlots.release();
  }
}
