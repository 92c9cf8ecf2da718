package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.proto.v1.CancelRequest;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.ExperimentServiceGrpc;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.GetExperimentRequest;
import org.aevlp.proto.v1.ListExperimentsRequest;
import org.aevlp.proto.v1.SubmitRequest;
import org.aevlp.proto.v1.SubmitResponse;
import org.aevlp.proto.v1.WatchRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator under load (docs/RELIABILITY.md, "Load"): its real ExperimentService on loopback
 * with no workers, so that 200 submitted experiments all stay queued, and 20 Watch streams open at
 * once (on every tenth experiment). While they are open, 200 Get and 200 List calls (each List
 * returning all 200 experiments) must keep a p99 below {@link #P99_BOUND_MILLIS}; every watcher must
 * have received its history (the QUEUED state); and after all 200 are cancelled every stream must
 * end with CANCELLED. Printed: Submit, Get and List latency (p50/p99) and the watchers' time to
 * their first event.
 */
class CoordinatorLoadTest {

  private static final int EXPERIMENTS = 200;
  private static final int WATCHERS = 20;
  private static final int PROBES = 200;
  /** Generous on a shared 2-core machine; an unloaded coordinator answers in milliseconds. */
  private static final long P99_BOUND_MILLIS = 2_000;

  @TempDir Path temp;

  @Test
  void twoHundredQueuedExperimentsAndTwentyWatchersLeaveGetAndListResponsive() throws Exception {
    Path data = temp.resolve("data");
    // a dataset only has to exist for Submit to accept the spec: nothing trains here
    new SyntheticDatasetGenerator(1).generate(data, SyntheticSpec.defaults().withCounts(20, 10, 0), done -> { });
    ExperimentSpec spec = ClusterTestData.spec(ClusterTestData.specJson(data, 2, ""));
    try (LoopbackCluster cluster = LoopbackCluster.start(temp.resolve("runs"),
        RunnerSettings.defaults(Optional.of(data)))) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cluster.coordinator().grpcPort())
          .usePlaintext().build();
      try {
        var client = ExperimentServiceGrpc.newBlockingStub(channel);
        List<String> ids = new ArrayList<>();
        long[] submitNanos = new long[EXPERIMENTS];
        for (int i = 0; i < EXPERIMENTS; i++) {
          SubmitRequest request = SubmitRequest.newBuilder().setRequestId("load-" + i).setSpec(spec).build();
          long start = System.nanoTime();
          SubmitResponse response = client.withDeadlineAfter(30, TimeUnit.SECONDS).submit(request);
          submitNanos[i] = System.nanoTime() - start;
          ids.add(response.getExperimentId());
        }
        assertEquals(EXPERIMENTS, new HashSet<>(ids).size(), "every Submit made a new experiment");

        List<Watcher> watchers = new ArrayList<>();
        var watchStub = ExperimentServiceGrpc.newStub(channel);
        for (int w = 0; w < WATCHERS; w++) {
          Watcher watcher = new Watcher(ids.get(w * (EXPERIMENTS / WATCHERS)));
          watchStub.watch(WatchRequest.newBuilder().setExperimentId(watcher.experimentId).build(), watcher);
          watchers.add(watcher);
        }

        SplittableRandom random = new SplittableRandom(9);
        long[] getNanos = time(() -> {
          String id = ids.get(random.nextInt(EXPERIMENTS));
          Experiment experiment = client.withDeadlineAfter(30, TimeUnit.SECONDS)
              .get(GetExperimentRequest.newBuilder().setExperimentId(id).build());
          assertEquals(id, experiment.getExperimentId());
          assertEquals(ExperimentState.QUEUED, experiment.getState(), id);
        });
        long[] listNanos = time(() -> {
          int listed = client.withDeadlineAfter(30, TimeUnit.SECONDS)
              .list(ListExperimentsRequest.getDefaultInstance()).getExperimentsCount();
          assertEquals(EXPERIMENTS, listed);
        });
        for (Watcher watcher : watchers) {
          assertTrue(watcher.queued.await(30, TimeUnit.SECONDS),
              "watcher of " + watcher.experimentId + " got no QUEUED state: " + watcher.events);
          assertEquals(1, watcher.done.getCount(), "stream of " + watcher.experimentId + " ended early");
        }
        assertEquals(EXPERIMENTS, client.withDeadlineAfter(30, TimeUnit.SECONDS).list(ListExperimentsRequest
            .newBuilder().addStates(ExperimentState.QUEUED).build()).getExperimentsCount(), "all still queued");

        long cancelStart = System.nanoTime();
        for (String id : ids) {
          assertEquals(ExperimentState.CANCELLED, client.withDeadlineAfter(30, TimeUnit.SECONDS)
              .cancel(CancelRequest.newBuilder().setExperimentId(id).build()).getState(), id);
        }
        long cancelAll = System.nanoTime() - cancelStart;
        for (Watcher watcher : watchers) {
          assertTrue(watcher.done.await(30, TimeUnit.SECONDS), "stream of " + watcher.experimentId + " never ended");
          assertEquals(null, watcher.error, "stream of " + watcher.experimentId + " failed");
          ExperimentEvent last = watcher.events.get(watcher.events.size() - 1);
          assertEquals(ExperimentState.CANCELLED, last.getState().getState(),
              "last event of " + watcher.experimentId + ": " + last);
        }
        assertEquals(EXPERIMENTS, client.withDeadlineAfter(30, TimeUnit.SECONDS).list(ListExperimentsRequest
            .newBuilder().addStates(ExperimentState.CANCELLED).build()).getExperimentsCount());

        long[] firstEventNanos = watchers.stream().mapToLong(w -> w.firstEventNanos).sorted().toArray();
        Arrays.sort(submitNanos);
        System.out.printf("coordinator load: %d queued, %d watchers; Submit p50 %.1f ms p99 %.1f ms; "
                + "Get p50 %.1f ms p99 %.1f ms; List(all %d) p50 %.1f ms p99 %.1f ms; watch first event max %.1f ms; "
                + "cancel all %d in %.0f ms%n",
            EXPERIMENTS, WATCHERS, millis(percentile(submitNanos, 0.5)), millis(percentile(submitNanos, 0.99)),
            millis(percentile(getNanos, 0.5)), millis(percentile(getNanos, 0.99)), EXPERIMENTS,
            millis(percentile(listNanos, 0.5)), millis(percentile(listNanos, 0.99)),
            millis(firstEventNanos[firstEventNanos.length - 1]), EXPERIMENTS, millis(cancelAll));
        assertTrue(millis(percentile(getNanos, 0.99)) < P99_BOUND_MILLIS, "Get p99 too slow");
        assertTrue(millis(percentile(listNanos, 0.99)) < P99_BOUND_MILLIS, "List p99 too slow");
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Latencies, sorted, of {@link #PROBES} calls of {@code call}. */
  private static long[] time(Runnable call) {
    long[] nanos = new long[PROBES];
    for (int i = 0; i < PROBES; i++) {
      long start = System.nanoTime();
      call.run();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  /** The nearest-rank percentile of sorted values, {@code q} in (0, 1]. */
  private static long percentile(long[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** One Watch stream: its events, when the first came, whether QUEUED was seen, how it ended. */
  private static final class Watcher implements StreamObserver<ExperimentEvent> {
    final String experimentId;
    final List<ExperimentEvent> events = new CopyOnWriteArrayList<>();
    final CountDownLatch queued = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);
    final long opened = System.nanoTime();
    volatile long firstEventNanos = -1;
    volatile Throwable error;

    Watcher(String experimentId) {
      this.experimentId = experimentId;
    }

    @Override
    public void onNext(ExperimentEvent event) {
      if (events.isEmpty()) {
        firstEventNanos = System.nanoTime() - opened;
      }
      events.add(event);
      if (event.hasState() && event.getState().getState() == ExperimentState.QUEUED) {
        queued.countDown();
      }
    }

    @Override
    public void onError(Throwable t) {
      error = t;
      done.countDown();
    }

    @Override
    public void onCompleted() {
      done.countDown();
    }
  }
}
