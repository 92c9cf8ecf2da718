package org.aevlp.labeler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.aevlp.labeler.bench.UntrainedTinyVlmScorer;
import org.aevlp.proto.v1.DampParams;
import org.aevlp.proto.v1.LabelerServiceGrpc;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.SampleRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labeler under load (docs/RELIABILITY.md, "Load"): 32 concurrent gRPC clients, each on its own
 * channel, call PseudoLabels in a loop for {@code -Daevlp.load.seconds} (10 by default; the issue's
 * run is 60) against a real LabelerServer on loopback with the untrained tiny VLM. The queue holds
 * fewer requests than there are clients, so backpressure is exercised, not just possible.
 *
 * <p>Pinned: every call ends OK or RESOURCE_EXHAUSTED; some end OK; the server still answers a health
 * check and a request afterwards; the queue is empty; the cache stays within its byte bound; and the
 * heap used after a full GC grows by less than {@link #HEAP_GROWTH_BOUND} over the idle server's.
 * Printed: p50/p99 latency of OK calls, calls/s and the share of RESOURCE_EXHAUSTED.
 */
class LabelerLoadTest {

  private static final int CLIENTS = 32;
  private static final long SECONDS = Long.getLong("aevlp.load.seconds", 10);
  private static final int TRAIN_IMAGES = 32;
  /** Half the clients: a full queue must be answered with RESOURCE_EXHAUSTED, never anything else. */
  private static final int QUEUE_CAPACITY = CLIENTS / 2;
  /**
   * About a third of the working set (32 images x 5 views of grid_size 2 x 2 flips drawn by epoch:
   * 320 entries of 352 bytes, 110 KiB), so the cache evicts all the time and most views are scored.
   */
  private static final long CACHE_BYTES = 32L << 10;
  /**
   * Retained heap may grow by at most this much over the idle, warmed-up server's. The only state
   * that grows with the number of distinct requests is the embedding cache (bounded by {@link
   * #CACHE_BYTES}); what else stays is fixed per connection or thread: a class histogram of a 60 s
   * run showed +0.6 MiB, mostly HTTP/2 header tables (HPACK, at most 4 KiB per connection and
   * direction) and Netty's per-thread buffer caches. 16 MiB leaves room for a different JVM or GC
   * while still catching a leak of 250 bytes per call in a 60 s run (about 68,000 calls here).
   */
  private static final long HEAP_GROWTH_BOUND = CACHE_BYTES + (16L << 20);
  /** How long a client waits after RESOURCE_EXHAUSTED before trying again, as a polite client would. */
  private static final long BACKOFF_MILLIS = 5;

  @TempDir Path dataDir;

  @Test
  void thirtyTwoClientsGetAnswersOrBackpressureAndTheServerStaysHealthyWithBoundedMemory() throws Exception {
    LabelerDataset dataset = SyntheticFixture.dataset(dataDir, TRAIN_IMAGES);
    try (UntrainedTinyVlmScorer scorer = SyntheticFixture.scorer()) {
      LabelerSettings settings = LabelerSettings.defaults().withBindAddress("127.0.0.1").withPort(0)
          .withQueueCapacity(QUEUE_CAPACITY).withCache(CACHE_BYTES, false);
      LabelerServer server = LabelerServer.start(settings, scorer, List.of(dataset), new SimpleMeterRegistry());
      List<ManagedChannel> channels = new ArrayList<>();
      try {
        for (int i = 0; i < CLIENTS; i++) {
          channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build());
        }
        // one call per channel first: connections and the scorer's first use are in the baseline
        SplittableRandom warmUp = new SplittableRandom(1);
        for (ManagedChannel channel : channels) {
          LabelerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
              .pseudoLabels(request(warmUp));
        }
        long heapBefore = usedHeapAfterGc();

        LoadOutcome outcome = runClients(channels);

        Map<Status.Code, Long> codes = outcome.codes();
        long ok = codes.getOrDefault(Status.Code.OK, 0L);
        long rejected = codes.getOrDefault(Status.Code.RESOURCE_EXHAUSTED, 0L);
        long calls = ok + rejected;
        System.out.printf("labeler load: %d clients for %d s, %d calls (%.1f calls/s, %.1f OK/s), "
                + "RESOURCE_EXHAUSTED %.1f%%, OK latency p50 %.1f ms p99 %.1f ms max %.1f ms, "
                + "cache %d entries %d bytes %d evictions, batches %d%n",
            CLIENTS, SECONDS, calls, calls / (double) SECONDS, ok / (double) SECONDS,
            calls == 0 ? 0 : 100.0 * rejected / calls, millis(outcome.p50Nanos()), millis(outcome.p99Nanos()),
            millis(outcome.maxNanos()), server.labeler().cache().size(), server.labeler().cache().bytes(),
            server.labeler().cache().evictions(), server.batcher().batchCount());

        assertEquals(Map.of(), withoutAllowed(codes), "statuses other than OK and RESOURCE_EXHAUSTED: " + codes);
        assertTrue(ok > 0, "no call succeeded: " + codes);
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(channels.get(0))
            .withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus());
        assertEquals(2, LabelerServiceGrpc.newBlockingStub(channels.get(1)).withDeadlineAfter(60, TimeUnit.SECONDS)
            .pseudoLabels(request(new SplittableRandom(2), 2)).getRowsCount(), "the server still labels");
        assertEquals(0, server.batcher().queueDepth(), "requests left in the queue");
        assertTrue(server.labeler().cache().bytes() <= CACHE_BYTES,
            "cache above its bound: " + server.labeler().cache().bytes());
        assertTrue(server.labeler().cache().evictions() > 0, "the cache never had to evict");

        long heapAfter = usedHeapAfterGc();
        System.out.printf("labeler load: heap used after GC %.1f MiB before, %.1f MiB after (bound +%.0f MiB)%n",
            heapBefore / 1048576.0, heapAfter / 1048576.0, HEAP_GROWTH_BOUND / 1048576.0);
        assertTrue(heapAfter - heapBefore < HEAP_GROWTH_BOUND,
            "heap grew by " + (heapAfter - heapBefore) + " bytes, bound " + HEAP_GROWTH_BOUND);
      } finally {
        for (ManagedChannel channel : channels) {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.close();
      }
    }
  }

  /** Runs the clients until the time is up; only the summary outlives them (so the heap check sees no test data). */
  private static LoadOutcome runClients(List<ManagedChannel> channels) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      List<Future<ClientTally>> running = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        ManagedChannel channel = channels.get(i);
        long seed = 1_000 + i;
        running.add(clients.submit(() -> callUntil(channel, seed, until)));
      }
      List<ClientTally> tallies = new ArrayList<>();
      for (Future<ClientTally> client : running) {
        tallies.add(client.get(SECONDS + 120, TimeUnit.SECONDS));
      }
      ClientTally total = ClientTally.merge(tallies);
      long[] latencies = total.sortedOkLatencies();
      return new LoadOutcome(total.codes, percentile(latencies, 0.50), percentile(latencies, 0.99),
          latencies.length == 0 ? 0 : latencies[latencies.length - 1]);
    } finally {
      clients.shutdownNow();
    }
  }

  /** One client: random requests back to back until {@code until}, recording each outcome. */
  private static ClientTally callUntil(ManagedChannel channel, long seed, long until) throws InterruptedException {
    SplittableRandom random = new SplittableRandom(seed);
    LabelerServiceGrpc.LabelerServiceBlockingStub stub = LabelerServiceGrpc.newBlockingStub(channel);
    ClientTally tally = new ClientTally();
    while (System.nanoTime() < until) {
      PseudoLabelsRequest request = request(random);
      long start = System.nanoTime();
      try {
        stub.withDeadlineAfter(30, TimeUnit.SECONDS).pseudoLabels(request);
        tally.ok(System.nanoTime() - start);
      } catch (StatusRuntimeException e) {
        tally.failed(e.getStatus().getCode());
        if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
          Thread.sleep(BACKOFF_MILLIS);
        }
      }
    }
    return tally;
  }

  private static PseudoLabelsRequest request(SplittableRandom random) {
    return request(random, 1 + random.nextInt(4));
  }

  /** A valid request of {@code samples} random samples at a random epoch. */
  private static PseudoLabelsRequest request(SplittableRandom random, int samples) {
    PseudoLabelsRequest.Builder request = PseudoLabelsRequest.newBuilder().setDatasetId(SyntheticFixture.DATASET)
        .setEpoch(1 + random.nextInt(1_000_000)).setSeed(random.nextLong())
        .setParams(DampParams.newBuilder().setGridSize(2));
    for (int s = 0; s < samples; s++) {
      int positive = random.nextInt(SyntheticFixture.CLASSES);
      SampleRef.Builder sample = SampleRef.newBuilder().setIndex(random.nextInt(TRAIN_IMAGES));
      for (int c = 0; c < SyntheticFixture.CLASSES; c++) {
        sample.addObserved(c == positive ? 1f : 0f);
      }
      request.addSamples(sample);
    }
    return request.build();
  }

  private static Map<Status.Code, Long> withoutAllowed(Map<Status.Code, Long> codes) {
    Map<Status.Code, Long> others = new EnumMap<>(codes);
    others.remove(Status.Code.OK);
    others.remove(Status.Code.RESOURCE_EXHAUSTED);
    return others;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    // several rounds: one System.gc() may leave garbage that becomes collectable only afterwards
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }

  /** The nearest-rank percentile of sorted values, {@code q} in (0, 1]. */
  private static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** The statuses of all calls and the latency percentiles of the OK ones. */
  private record LoadOutcome(Map<Status.Code, Long> codes, long p50Nanos, long p99Nanos, long maxNanos) {}

  /** What one client saw: the count of each status and the latency of each OK call. */
  private static final class ClientTally {
    private final Map<Status.Code, Long> codes = new EnumMap<>(Status.Code.class);
    private long[] okLatencies = new long[256];
    private int okCount;

    void ok(long nanos) {
      codes.merge(Status.Code.OK, 1L, Long::sum);
      addLatency(nanos);
    }

    private void addLatency(long nanos) {
      if (okCount == okLatencies.length) {
        okLatencies = Arrays.copyOf(okLatencies, okCount * 2);
      }
      okLatencies[okCount++] = nanos;
    }

    void failed(Status.Code code) {
      codes.merge(code, 1L, Long::sum);
    }

    long[] sortedOkLatencies() {
      long[] sorted = Arrays.copyOf(okLatencies, okCount);
      Arrays.sort(sorted);
      return sorted;
    }

    static ClientTally merge(List<ClientTally> tallies) {
      ClientTally total = new ClientTally();
      for (ClientTally tally : tallies) {
        tally.codes.forEach((code, count) -> total.codes.merge(code, count, Long::sum));
        for (int i = 0; i < tally.okCount; i++) {
          total.addLatency(tally.okLatencies[i]);
        }
      }
      return total;
    }
  }
}
