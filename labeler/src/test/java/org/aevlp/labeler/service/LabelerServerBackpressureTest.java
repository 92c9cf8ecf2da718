package org.aevlp.labeler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.aevlp.labeler.bench.UntrainedTinyVlmScorer;
import org.aevlp.labeler.cache.ViewKey;
import org.aevlp.proto.v1.DampParams;
import org.aevlp.proto.v1.LabelerServiceGrpc;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.PseudoLabelsResponse;
import org.aevlp.proto.v1.SampleRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A labeler with one actor whose scorer is held at a gate, so the test decides when work finishes:
 * queue overflow, deadlines that pass in the queue, and shutdown with a call in flight.
 */
class LabelerServerBackpressureTest {

  @TempDir static Path dataDir;
  private static LabelerDataset dataset;
  private static UntrainedTinyVlmScorer untrained;

  private InstrumentedScorer scorer;
  private LabelerServer server;
  private ManagedChannel channel;

  @BeforeAll
  static void prepare() throws Exception {
    dataset = SyntheticFixture.dataset(dataDir, 8);
    untrained = SyntheticFixture.scorer();
  }

  @AfterAll
  static void release() {
    untrained.close();
  }

  private LabelerServiceGrpc.LabelerServiceFutureStub startGated(int queueCapacity) throws Exception {
    scorer = InstrumentedScorer.gated(untrained);
    LabelerSettings settings = LabelerSettings.defaults()
        .withBindAddress("127.0.0.1")
        .withPort(0)
        .withActors(1)
        .withBatching(1, Duration.ZERO)
        .withQueueCapacity(queueCapacity)
        .withCache(16L << 20, false);
    server = LabelerServer.start(settings, scorer, List.of(dataset), new SimpleMeterRegistry());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    return LabelerServiceGrpc.newFutureStub(channel);
  }

  @AfterEach
  void stop() throws Exception {
    if (scorer != null) {
      scorer.open();
    }
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  private static PseudoLabelsRequest request(int index) {
    SampleRef.Builder sample = SampleRef.newBuilder().setIndex(index);
    for (int c = 0; c < SyntheticFixture.CLASSES; c++) {
      sample.addObserved(c == 0 ? 1f : 0f);
    }
    return PseudoLabelsRequest.newBuilder()
        .setDatasetId("synthetic").setEpoch(1).setSeed(3)
        .setParams(DampParams.newBuilder().setGridSize(2))
        .addSamples(sample).build();
  }

  private static Status.Code codeOf(ListenableFuture<?> call) {
    ExecutionException error = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
    return ((StatusRuntimeException) error.getCause()).getStatus().getCode();
  }

  @Test
  void overflowIsRejectedAndAnExpiredDeadlineIsDroppedUncomputedWhileTheServerKeepsServing() throws Exception {
    LabelerServiceGrpc.LabelerServiceFutureStub stub = startGated(1);
    ListenableFuture<PseudoLabelsResponse> running = stub.pseudoLabels(request(0));
    assertTrue(scorer.awaitFirstCall(30), "the first request never reached the scorer");

    ListenableFuture<PseudoLabelsResponse> late =
        stub.withDeadlineAfter(1, TimeUnit.SECONDS).pseudoLabels(request(1));
    waitForQueueDepth(1);
    ListenableFuture<PseudoLabelsResponse> overflow = stub.pseudoLabels(request(2));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, codeOf(overflow));
    assertEquals(1, server.batcher().rejectedCount());

    assertEquals(Status.Code.DEADLINE_EXCEEDED, codeOf(late));
    waitForQueueDepth(0);
    scorer.open();
    assertEquals(1, running.get(30, TimeUnit.SECONDS).getRowsCount());

    assertEquals(1, server.batcher().droppedCount(), "the late request must be dropped from the queue");
    assertEquals(1, server.batcher().expiredCount(), "and counted as dropped for its deadline");
    assertEquals(1, scorer.imageCalls(), "only the first request may reach the scorer");
    for (int v = 0; v < 5; v++) {
      assertFalse(server.labeler().cache().contains(ViewKey.of("synthetic", 1, 2, v, false)));
      assertFalse(server.labeler().cache().contains(ViewKey.of("synthetic", 1, 2, v, true)));
    }
    assertEquals(1, stub.pseudoLabels(request(3)).get(30, TimeUnit.SECONDS).getRowsCount(),
        "the server keeps serving");
  }

  @Test
  void shutdownLetsACallInFlightFinishThenRefusesNewCalls() throws Exception {
    LabelerServiceGrpc.LabelerServiceFutureStub stub = startGated(4);
    ListenableFuture<PseudoLabelsResponse> running = stub.pseudoLabels(request(4));
    assertTrue(scorer.awaitFirstCall(30));
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    assertEquals(HealthCheckResponse.ServingStatus.SERVING,
        health.check(HealthCheckRequest.getDefaultInstance()).getStatus());

    Thread closer = new Thread(server::close);
    closer.start();
    Thread.sleep(200); // close() is now waiting for the call in flight
    assertFalse(running.isDone());
    scorer.open();
    assertEquals(1, running.get(30, TimeUnit.SECONDS).getRowsCount());
    closer.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(closer.isAlive(), "close() did not return after the last call finished");
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> LabelerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).pseudoLabels(request(5)));
    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
    server = null;
  }

  private void waitForQueueDepth(int depth) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.batcher().queueDepth() != depth) {
      if (System.nanoTime() > until) {
        throw new AssertionError("queue depth stayed " + server.batcher().queueDepth() + ", expected " + depth);
      }
      Thread.sleep(5);
    }
  }
}
