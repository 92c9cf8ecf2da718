package org.aevlp.labeler.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

  /** Hands every dispatched batch to the test, which decides when it is computed. */
  private final BlockingQueue<Batch<String, String>> dispatched = new LinkedBlockingQueue<>();
  private final RecordingListener listener = new RecordingListener();
  private DynamicBatcher<String, String> batcher;

  @AfterEach
  void close() {
    if (batcher != null) {
      batcher.close();
    }
  }

  private DynamicBatcher<String, String> batcher(int maxImages, Duration delay, int capacity, int inFlight) {
    batcher = new DynamicBatcher<>(
        "test", new BatcherSettings(maxImages, delay, capacity, inFlight), dispatched::add, listener);
    return batcher;
  }

  private Batch<String, String> nextBatch() throws InterruptedException {
    Batch<String, String> batch = dispatched.poll(5, TimeUnit.SECONDS);
    assertNotNull(batch, "no batch was dispatched within 5 s");
    return batch;
  }

  /** Completes every request with its work upper-cased and frees the slot. */
  private static void compute(Batch<String, String> batch) {
    batch.completeAll(batch.work().stream().map(String::toUpperCase).toList());
    batch.finished();
  }

  @Test
  void sizeTriggerDispatchesAFullBatchLongBeforeTheDelay() throws Exception {
    batcher(4, Duration.ofSeconds(30), 16, 1);
    long start = System.nanoTime();
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (String work : List.of("a", "b", "c", "d")) {
      results.add(batcher.submit(work, 1, QueuedRequest.NO_DEADLINE));
    }
    Batch<String, String> batch = nextBatch();
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the full batch waited for the delay");
    assertEquals(List.of("a", "b", "c", "d"), batch.work());
    assertEquals(4, batch.images());
    compute(batch);
    assertEquals("C", results.get(2).get(1, TimeUnit.SECONDS));
    assertEquals(List.of(4), listener.batchImages);
  }

  @Test
  void delayTriggerDispatchesAPartialBatchAfterTheDelay() throws Exception {
    batcher(100, Duration.ofMillis(150), 16, 1);
    long start = System.nanoTime();
    CompletableFuture<String> a = batcher.submit("a", 3, QueuedRequest.NO_DEADLINE);
    CompletableFuture<String> b = batcher.submit("b", 2, QueuedRequest.NO_DEADLINE);
    Batch<String, String> batch = nextBatch();
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(waitedMs >= 140, "dispatched after " + waitedMs + " ms, before the 150 ms delay");
    assertEquals(List.of("a", "b"), batch.work());
    assertEquals(5, batch.images());
    compute(batch);
    assertEquals("A", a.get(1, TimeUnit.SECONDS));
    assertEquals("B", b.get(1, TimeUnit.SECONDS));
    assertEquals(2, listener.queued.size());
    assertTrue(listener.queued.stream().allMatch(nanos -> nanos >= TimeUnit.MILLISECONDS.toNanos(140)));
    assertEquals(1, listener.computed.size());
  }

  @Test
  void batchesStopBeforeTheRequestThatWouldOverflowThemAndKeepOrder() throws Exception {
    batcher(5, Duration.ZERO, 16, 1);
    CompletableFuture<String> first = batcher.submit("first", 1, QueuedRequest.NO_DEADLINE);
    Batch<String, String> holding = nextBatch(); // occupies the only slot while the others queue
    batcher.submit("b3", 3, QueuedRequest.NO_DEADLINE);
    batcher.submit("c2", 2, QueuedRequest.NO_DEADLINE);
    batcher.submit("d1", 1, QueuedRequest.NO_DEADLINE);
    batcher.submit("e9", 9, QueuedRequest.NO_DEADLINE);
    compute(holding);
    assertEquals("FIRST", first.get(1, TimeUnit.SECONDS));

    Batch<String, String> second = nextBatch();
    assertEquals(List.of("b3", "c2"), second.work(), "d1 would fit too but must not overtake the batch's order");
    compute(second);
    Batch<String, String> third = nextBatch();
    assertEquals(List.of("d1"), third.work(), "e9 alone exceeds the limit and travels alone");
    compute(third);
    assertEquals(List.of("e9"), nextBatch().work());
  }

  @Test
  void requestsAccumulateWhileEveryExecutorIsBusy() throws Exception {
    batcher(64, Duration.ZERO, 16, 1);
    batcher.submit("x", 1, QueuedRequest.NO_DEADLINE);
    Batch<String, String> busy = nextBatch();
    for (int i = 0; i < 6; i++) {
      batcher.submit("q" + i, 2, QueuedRequest.NO_DEADLINE);
    }
    assertNull(dispatched.poll(100, TimeUnit.MILLISECONDS), "a batch was dispatched with no executor free");
    assertEquals(6, batcher.queueDepth());
    compute(busy);
    Batch<String, String> grown = nextBatch();
    assertEquals(6, grown.requests().size());
    assertEquals(12, grown.images());
    assertEquals(0, batcher.queueDepth());
  }

  @Test
  void severalExecutorsTakeBatchesAtOnce() throws Exception {
    batcher(1, Duration.ZERO, 16, 2);
    batcher.submit("a", 1, QueuedRequest.NO_DEADLINE);
    batcher.submit("b", 1, QueuedRequest.NO_DEADLINE);
    batcher.submit("c", 1, QueuedRequest.NO_DEADLINE);
    Batch<String, String> one = nextBatch();
    Batch<String, String> two = nextBatch();
    assertNull(dispatched.poll(100, TimeUnit.MILLISECONDS), "a third batch went out with two executors busy");
    compute(one);
    assertEquals(List.of("c"), nextBatch().work());
    compute(two);
  }

  @Test
  void queuedWorkIsSharedAmongFreeExecutors() throws Exception {
    batcher(64, Duration.ofMillis(100), 16, 2);
    for (String work : List.of("a", "b", "c", "d", "e")) {
      batcher.submit(work, 1, QueuedRequest.NO_DEADLINE);
    }
    Batch<String, String> first = nextBatch();
    Batch<String, String> second = nextBatch();
    assertEquals(List.of("a", "b", "c"), first.work(), "two free executors: the first takes ceil(5 / 2)");
    assertEquals(List.of("d", "e"), second.work());
    compute(first);
    compute(second);
  }

  @Test
  void fullQueueRejectsAtOnce() throws Exception {
    batcher(1, Duration.ZERO, 2, 1);
    batcher.submit("running", 1, QueuedRequest.NO_DEADLINE);
    Batch<String, String> running = nextBatch();
    batcher.submit("q1", 1, QueuedRequest.NO_DEADLINE);
    batcher.submit("q2", 1, QueuedRequest.NO_DEADLINE);

    CompletableFuture<String> overflow = batcher.submit("q3", 1, QueuedRequest.NO_DEADLINE);
    assertTrue(overflow.isCompletedExceptionally(), "the overflowing request must fail immediately");
    ExecutionException error = assertThrows(ExecutionException.class, overflow::get);
    assertInstanceOf(QueueFullException.class, error.getCause());
    assertEquals(1, batcher.rejectedCount());
    assertEquals(List.of(DropReason.REJECTED), listener.drops);
    compute(running);
  }

  @Test
  void requestWhoseDeadlinePassedWhileQueuedIsDroppedNotComputed() throws Exception {
    batcher(8, Duration.ZERO, 16, 1);
    batcher.submit("running", 1, QueuedRequest.NO_DEADLINE);
    Batch<String, String> running = nextBatch();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    CompletableFuture<String> late = batcher.submit("late", 1, deadline);
    CompletableFuture<String> onTime = batcher.submit("on-time", 1, QueuedRequest.NO_DEADLINE);
    Thread.sleep(120);
    compute(running);

    Batch<String, String> next = nextBatch();
    assertEquals(List.of("on-time"), next.work(), "the expired request must not reach an executor");
    ExecutionException error = assertThrows(ExecutionException.class, () -> late.get(1, TimeUnit.SECONDS));
    assertInstanceOf(DeadlineExpiredException.class, error.getCause());
    assertEquals(1, batcher.expiredCount());
    assertTrue(listener.drops.contains(DropReason.EXPIRED));
    compute(next);
    assertEquals("ON-TIME", onTime.get(1, TimeUnit.SECONDS));
  }

  @Test
  void cancelledRequestLeavesTheQueue() throws Exception {
    batcher(8, Duration.ZERO, 16, 1);
    batcher.submit("running", 1, QueuedRequest.NO_DEADLINE);
    Batch<String, String> running = nextBatch();
    CompletableFuture<String> gone = batcher.submit("gone", 1, QueuedRequest.NO_DEADLINE);
    batcher.submit("kept", 1, QueuedRequest.NO_DEADLINE);
    gone.cancel(false);
    assertEquals(1, batcher.queueDepth());
    assertEquals(1, batcher.cancelledCount());
    assertEquals(1, batcher.droppedCount());
    compute(running);
    assertEquals(List.of("kept"), nextBatch().work());
  }

  @Test
  void failingAQueuedRequestWithDeadlineExpiredCountsItExpired() throws Exception {
    batcher(8, Duration.ZERO, 16, 1);
    batcher.submit("running", 1, QueuedRequest.NO_DEADLINE);
    Batch<String, String> running = nextBatch();
    CompletableFuture<String> late = batcher.submit("late", 1, QueuedRequest.NO_DEADLINE);
    late.completeExceptionally(new DeadlineExpiredException("the caller's deadline passed"));
    assertEquals(0, batcher.queueDepth());
    assertEquals(1, batcher.expiredCount());
    assertEquals(0, batcher.cancelledCount());
    compute(running);
  }

  @Test
  void computeTimeIsMeasuredFromDispatchToFinished() throws Exception {
    batcher(1, Duration.ZERO, 16, 1);
    batcher.submit("a", 1, QueuedRequest.NO_DEADLINE);
    Batch<String, String> batch = nextBatch();
    Thread.sleep(60);
    compute(batch);
    batch.finished(); // a second call is ignored
    assertEquals(1, listener.computed.size());
    assertTrue(listener.computed.get(0) >= TimeUnit.MILLISECONDS.toNanos(55));
  }

  @Test
  void closeFailsQueuedRequestsAndRefusesNewOnes() throws Exception {
    batcher(1, Duration.ZERO, 16, 1);
    batcher.submit("running", 1, QueuedRequest.NO_DEADLINE);
    nextBatch();
    CompletableFuture<String> queued = batcher.submit("queued", 1, QueuedRequest.NO_DEADLINE);
    batcher.close();
    ExecutionException error = assertThrows(ExecutionException.class, () -> queued.get(1, TimeUnit.SECONDS));
    assertInstanceOf(BatcherClosedException.class, error.getCause());
    CompletableFuture<String> after = batcher.submit("after", 1, QueuedRequest.NO_DEADLINE);
    assertTrue(after.isCompletedExceptionally());
    assertFalse(listener.drops.contains(DropReason.REJECTED));
  }

  @Test
  void dispatcherFailureFailsTheBatchAndFreesTheSlot() throws Exception {
    AtomicLong calls = new AtomicLong();
    batcher = new DynamicBatcher<>(
        "test",
        new BatcherSettings(1, Duration.ZERO, 16, 1),
        batch -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("no executor");
          }
          compute(batch);
        },
        listener);
    CompletableFuture<String> failed = batcher.submit("a", 1, QueuedRequest.NO_DEADLINE);
    ExecutionException error = assertThrows(ExecutionException.class, () -> failed.get(5, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, error.getCause());
    assertEquals("B", batcher.submit("b", 1, QueuedRequest.NO_DEADLINE).get(5, TimeUnit.SECONDS));
  }

  /** Records what the batcher reports. */
  private static final class RecordingListener implements BatchListener {
    final List<Integer> batchImages = new CopyOnWriteArrayList<>();
    final List<Long> queued = new CopyOnWriteArrayList<>();
    final List<Long> computed = new CopyOnWriteArrayList<>();
    final List<DropReason> drops = new CopyOnWriteArrayList<>();

    @Override
    public void batchDispatched(int requests, int images) {
      batchImages.add(images);
    }

    @Override
    public void queued(long nanos) {
      queued.add(nanos);
    }

    @Override
    public void computed(long nanos) {
      computed.add(nanos);
    }

    @Override
    public void dropped(DropReason reason) {
      drops.add(reason);
    }
  }
}
