package org.aevlp.labeler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.image.ParallelImageDecoder;
import org.aevlp.labeler.bench.UntrainedTinyVlmScorer;
import org.aevlp.labeler.batching.BatchListener;
import org.aevlp.labeler.batching.BatcherSettings;
import org.aevlp.labeler.batching.DynamicBatcher;
import org.aevlp.labeler.batching.QueuedRequest;
import org.aevlp.labeler.cache.EmbeddingCache;
import org.aevlp.labeler.damp.DampParams;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The labeler actors behind a batcher, in a Pekko test kit. */
class LabelerPoolTest {

  private static final DampParams PARAMS = new DampParams(0.01, 0.1, 0.5, 2, 3, 0.1, 10, false);

  @TempDir static Path dataDir;
  private static ActorTestKit testKit;
  private static UntrainedTinyVlmScorer scorer;
  private static ParallelImageDecoder decoder;
  private static DampLabeler labeler;

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create();
    scorer = SyntheticFixture.scorer();
    decoder = new ParallelImageDecoder(2, 8);
    labeler = new DampLabeler(scorer, List.of(SyntheticFixture.dataset(dataDir, 8)), new EmbeddingCache(1 << 20),
        decoder, new LabelerMetrics(new SimpleMeterRegistry()), false);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    decoder.close();
    scorer.close();
  }

  private static LabelingTask task(String dataset, int sample) {
    return new LabelingTask(dataset, 1, 9, PARAMS, false,
        List.of(new LabelingItem.DatasetSample(sample, SyntheticFixture.observed(0))));
  }

  @Test
  void anActorComputesItsBatchCompletesTheCallersAndTurnsIdleAgain() throws Exception {
    LabelerPool pool = new LabelerPool(testKit.system(), labeler, 2, "pool-a");
    try (DynamicBatcher<LabelingTask, LabelingResult> batcher = new DynamicBatcher<>(
        "pool-a", new BatcherSettings(8, Duration.ofMillis(20), 16, pool.size()), pool, BatchListener.NONE)) {
      List<CompletableFuture<LabelingResult>> results = List.of(
          batcher.submit(task("synthetic", 1), 1, QueuedRequest.NO_DEADLINE),
          batcher.submit(task("synthetic", 2), 1, QueuedRequest.NO_DEADLINE),
          batcher.submit(task("synthetic", 3), 1, QueuedRequest.NO_DEADLINE));
      for (int i = 0; i < 3; i++) {
        LabelingResult result = results.get(i).get(30, TimeUnit.SECONDS);
        assertEquals(i + 1L, result.rows().get(0).index());
        assertEquals(10, result.rows().get(0).labels().length);
      }
      awaitIdle(pool, 2);
    } finally {
      pool.close();
    }
  }

  @Test
  void aFailingBatchFailsItsCallersAndTheActorServesTheNextOne() throws Exception {
    LabelerPool pool = new LabelerPool(testKit.system(), labeler, 1, "pool-b");
    try (DynamicBatcher<LabelingTask, LabelingResult> batcher = new DynamicBatcher<>(
        "pool-b", new BatcherSettings(1, Duration.ZERO, 16, pool.size()), pool, BatchListener.NONE)) {
      CompletableFuture<LabelingResult> failing = batcher.submit(task("coco", 0), 1, QueuedRequest.NO_DEADLINE);
      ExecutionException error = assertThrows(ExecutionException.class, () -> failing.get(30, TimeUnit.SECONDS));
      assertInstanceOf(IllegalArgumentException.class, error.getCause());
      assertTrue(error.getCause().getMessage().contains("coco"));

      LabelingResult next = batcher.submit(task("synthetic", 4), 1, QueuedRequest.NO_DEADLINE).get(30, TimeUnit.SECONDS);
      assertEquals(4L, next.rows().get(0).index());
    } finally {
      pool.close();
    }
  }

  @Test
  void stopTerminatesAnActor() {
    ActorRef<LabelerActor.Command> actor = testKit.spawn(LabelerActor.create(labeler));
    TestProbe<LabelerActor.Command> probe = testKit.createTestProbe();
    actor.tell(new LabelerActor.Stop());
    probe.expectTerminated(actor, Duration.ofSeconds(5));
  }

  private static void awaitIdle(LabelerPool pool, int expected) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pool.idleCount() != expected && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertEquals(expected, pool.idleCount());
  }
}
