package org.aevlp.worker.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.eval.PseudoLabelCounts;
import org.junit.jupiter.api.Test;

class MicroBatchPrefetcherTest {

  @Test
  void aHintedBatchIsLoadedAheadAndServedWithoutLoadingAgain() throws Exception {
    Queue<List<Integer>> loads = new ConcurrentLinkedQueue<>();
    try (MicroBatchPrefetcher prefetcher = new MicroBatchPrefetcher((epoch, indices) -> {
      loads.add(indices);
      return new PreparedBatch(indices, null, PseudoLabelCounts.ZERO, 0);
    }, "test")) {
      prefetcher.hint(1, List.of(3, 4));
      PreparedBatch batch = prefetcher.take(1, List.of(3, 4)).get(5, TimeUnit.SECONDS);
      assertEquals(List.of(3, 4), batch.usedIndices());
      assertEquals(1, loads.size());
      assertEquals(1, prefetcher.hits());
      prefetcher.take(2, List.of(3, 4)).get(5, TimeUnit.SECONDS);
      assertEquals(2, loads.size(), "another epoch is another batch (other flips)");
    }
  }

  @Test
  void aNewHintCancelsAnOlderOneThatWasNotTaken() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    try (MicroBatchPrefetcher prefetcher = new MicroBatchPrefetcher((epoch, indices) -> {
      if (indices.equals(List.of(1))) {
        started.countDown();
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException e) {
          interrupted.countDown();
          throw e;
        }
      }
      return new PreparedBatch(indices, null, PseudoLabelCounts.ZERO, 0);
    }, "test")) {
      prefetcher.hint(1, List.of(1));
      assertTrue(started.await(5, TimeUnit.SECONDS));
      prefetcher.hint(1, List.of(2));
      assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the stale hint's loading is interrupted");
      PreparedBatch second = prefetcher.take(1, List.of(2)).get(5, TimeUnit.SECONDS);
      assertEquals(List.of(2), second.usedIndices());
      assertSame(1, prefetcher.hits());
    }
  }
}
