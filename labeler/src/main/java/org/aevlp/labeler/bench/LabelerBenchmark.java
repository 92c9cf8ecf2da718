package org.aevlp.labeler.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.labeler.service.LabelerDataset;
import org.aevlp.labeler.service.LabelerServer;
import org.aevlp.labeler.service.LabelerSettings;
import org.aevlp.proto.v1.DampParams;
import org.aevlp.proto.v1.LabelerServiceGrpc;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.PseudoLabelsResponse;
import org.aevlp.proto.v1.SampleRef;

/**
 * Labeler throughput, measured side by side in one run against real servers on loopback, with
 * {@code clients} concurrent callers each sending requests of {@code samplesPerRequest} samples
 * until every sample has been labelled once (a closed loop: each caller waits for its answer):
 *
 * <ol>
 *   <li>dynamic batching ({@code maxBatch} images or {@code maxDelay}) against none (max batch 1),
 *       both with the embedding cache off so that every view is embedded;
 *   <li>the second epoch against the first, cache on with both flips embedded in the first.
 * </ol>
 *
 * Every phase starts a fresh server and is preceded by a short warm-up (JIT, DJL) that is not
 * timed; the batched and unbatched phases alternate for {@code rounds} rounds and their medians
 * are compared. Results are printed as {@code key=value} lines; the last two are the ratios
 * {@code batching_speedup} and {@code cached_epoch_speedup}.
 */
public final class LabelerBenchmark {

  /**
   * @param clients concurrent callers
   * @param samplesPerRequest samples in each request
   * @param samples samples labelled per phase (rows 0 .. samples-1 of the dataset)
   * @param gridSize DAMP grid size (views = 1 + g²)
   * @param maxBatch images per batch with dynamic batching
   * @param maxDelay batching delay
   * @param actors labeler actors
   * @param rounds times the batched and unbatched phases are measured, alternating; the median counts
   */
  public record Options(
      int clients,
      int samplesPerRequest,
      int samples,
      int gridSize,
      int maxBatch,
      Duration maxDelay,
      int actors,
      int rounds) {

    public Options {
      if (clients < 1 || samplesPerRequest < 1 || samples < samplesPerRequest || gridSize < 1 || maxBatch < 1
          || actors < 1 || rounds < 1) {
        throw new IllegalArgumentException("benchmark options must be positive and samples >= samples per request: "
            + "clients=" + clients + ", samplesPerRequest=" + samplesPerRequest + ", samples=" + samples
            + ", gridSize=" + gridSize + ", maxBatch=" + maxBatch + ", actors=" + actors + ", rounds=" + rounds);
      }
    }

    /**
     * 8 clients, 2 samples per request, 256 samples, grid 4, batches of 64 images or 5 ms, 2 actors,
     * 3 rounds.
     */
    public static Options defaults() {
      return new Options(8, 2, 256, 4, 64, Duration.ofMillis(5), 2, 3);
    }
  }

  /** Images per second of every phase and the two ratios. */
  public record Result(
      double batchedImagesPerSecond,
      double unbatchedImagesPerSecond,
      double firstEpochImagesPerSecond,
      double secondEpochImagesPerSecond,
      double secondEpochCacheHitRate) {

    public double batchingSpeedup() {
      return batchedImagesPerSecond / unbatchedImagesPerSecond;
    }

    public double cachedEpochSpeedup() {
      return secondEpochImagesPerSecond / firstEpochImagesPerSecond;
    }
  }

  private static final long SEED = 1;
  private static final int WARM_UP_SAMPLES = 16;

  private final Options options;
  private final Scorer scorer;
  private final LabelerDataset dataset;
  private final PrintWriter out;

  public LabelerBenchmark(Options options, Scorer scorer, LabelerDataset dataset, PrintWriter out) {
    if (dataset.size() < options.samples()) {
      throw new IllegalArgumentException(
          "the dataset has " + dataset.size() + " training rows, the benchmark needs " + options.samples());
    }
    this.options = options;
    this.scorer = scorer;
    this.dataset = dataset;
    this.out = out;
  }

  /** Runs every phase and prints the figures. */
  public Result run() throws IOException, InterruptedException {
    out.printf(Locale.ROOT, "scorer=%s input_size=%d dataset=%s samples=%d clients=%d samples_per_request=%d"
            + " grid_size=%d views_per_image=%d max_batch=%d max_delay_ms=%d actors=%d rounds=%d%n",
        scorer.name(), scorer.inputSize(), dataset.id(), options.samples(), options.clients(),
        options.samplesPerRequest(), options.gridSize(), 1 + options.gridSize() * options.gridSize(),
        options.maxBatch(), options.maxDelay().toMillis(), options.actors(), options.rounds());

    LabelerSettings base = LabelerSettings.defaults()
        .withBindAddress("127.0.0.1")
        .withPort(0)
        .withActors(options.actors())
        .withQueueCapacity(Math.max(64, 4 * options.clients()))
        .withMaxItemsPerRequest(Math.max(1024, options.samplesPerRequest()));
    LabelerSettings uncached = base.withCache(0, false);

    // Alternating rounds, so that a change in the machine's load hits both modes alike.
    double[] batchedRounds = new double[options.rounds()];
    double[] unbatchedRounds = new double[options.rounds()];
    for (int round = 0; round < options.rounds(); round++) {
      unbatchedRounds[round] = measure("unbatched", uncached.withBatching(1, Duration.ZERO), round + 1);
      batchedRounds[round] = measure("batched", uncached.withBatching(options.maxBatch(), options.maxDelay()), round + 1);
    }
    Phase[] epochs = measureEpochs(base.withBatching(options.maxBatch(), options.maxDelay()).withCache(512L << 20, true));

    Result result = new Result(
        median(batchedRounds), median(unbatchedRounds),
        epochs[0].imagesPerSecond(), epochs[1].imagesPerSecond(), epochs[1].hitRate());
    out.printf(Locale.ROOT, "batched_images_per_second=%.1f%n", result.batchedImagesPerSecond());
    out.printf(Locale.ROOT, "unbatched_images_per_second=%.1f%n", result.unbatchedImagesPerSecond());
    out.printf(Locale.ROOT, "first_epoch_images_per_second=%.1f%n", result.firstEpochImagesPerSecond());
    out.printf(Locale.ROOT, "second_epoch_images_per_second=%.1f%n", result.secondEpochImagesPerSecond());
    out.printf(Locale.ROOT, "second_epoch_cache_hit_rate=%.3f%n", result.secondEpochCacheHitRate());
    out.printf(Locale.ROOT, "batching_speedup=%.2f%n", result.batchingSpeedup());
    out.printf(Locale.ROOT, "cached_epoch_speedup=%.2f%n", result.cachedEpochSpeedup());
    out.flush();
    return result;
  }

  private int warmUpSamples() {
    return Math.min(WARM_UP_SAMPLES, options.samples());
  }

  /** Images per second of one timed pass and the fraction of rows served from the cache. */
  private record Phase(double imagesPerSecond, double hitRate) {}

  /** Images per second of one timed pass of {@code name} in round {@code round}. */
  private double measure(String name, LabelerSettings settings, int round) throws IOException, InterruptedException {
    try (Session session = new Session(settings)) {
      session.pass(1000 + round, warmUpSamples()); // warm-up, not timed
      BatchTotals before = session.batchTotals();
      Phase phase = session.pass(round, options.samples());
      out.printf(Locale.ROOT, "phase=%s round=%d images_per_second=%.1f %s%n",
          name, round, phase.imagesPerSecond(), session.batchTotals().since(before));
      out.flush();
      return phase.imagesPerSecond();
    }
  }

  /** Cumulative batcher meters: batches, images in them, compute ms, queued requests, queue ms. */
  private record BatchTotals(long batches, double images, double computeMs, long requests, double queueMs) {

    /** Batches, mean images per batch, mean compute and queue time between {@code earlier} and this. */
    String since(BatchTotals earlier) {
      long newBatches = batches - earlier.batches;
      long newRequests = requests - earlier.requests;
      return String.format(Locale.ROOT, "batches=%d mean_batch_images=%.1f mean_compute_ms=%.1f mean_queue_ms=%.1f",
          newBatches,
          (images - earlier.images) / Math.max(1, newBatches),
          (computeMs - earlier.computeMs) / Math.max(1, newBatches),
          (queueMs - earlier.queueMs) / Math.max(1, newRequests));
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private Phase[] measureEpochs(LabelerSettings settings) throws IOException, InterruptedException {
    try (Session session = new Session(settings)) {
      session.pass(1000, warmUpSamples());
      session.server.labeler().cache().clear();
      Phase first = session.pass(1, options.samples());
      Phase second = session.pass(2, options.samples());
      out.printf(Locale.ROOT, "phase=epoch1 images_per_second=%.1f cache_hit_rate=%.3f%n",
          first.imagesPerSecond(), first.hitRate());
      out.printf(Locale.ROOT, "phase=epoch2 images_per_second=%.1f cache_hit_rate=%.3f%n",
          second.imagesPerSecond(), second.hitRate());
      out.flush();
      return new Phase[] {first, second};
    }
  }

  /** A server and the clients' channel. */
  private final class Session implements AutoCloseable {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final LabelerServer server;
    final ManagedChannel channel;
    final ExecutorService clients;

    Session(LabelerSettings settings) throws IOException {
      server = LabelerServer.start(settings, scorer, List.of(dataset), registry);
      channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      clients = Executors.newFixedThreadPool(options.clients());
    }

    /** Labels rows 0 .. samples-1 once in {@code epoch}; the clients pull requests until none is left. */
    Phase pass(int epoch, int samples) throws InterruptedException {
      int requests = (samples + options.samplesPerRequest() - 1) / options.samplesPerRequest();
      AtomicInteger next = new AtomicInteger();
      AtomicLong hits = new AtomicLong();
      List<Future<?>> running = new ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < options.clients(); c++) {
        running.add(clients.submit(() -> {
          LabelerServiceGrpc.LabelerServiceBlockingStub stub = LabelerServiceGrpc.newBlockingStub(channel);
          for (int r = next.getAndIncrement(); r < requests; r = next.getAndIncrement()) {
            int from = r * options.samplesPerRequest();
            int to = Math.min(samples, from + options.samplesPerRequest());
            PseudoLabelsResponse response =
                stub.withDeadlineAfter(10, TimeUnit.MINUTES).pseudoLabels(request(epoch, from, to));
            hits.addAndGet(response.getCacheHits());
          }
        }));
      }
      for (Future<?> client : running) {
        try {
          client.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("a benchmark client failed: " + e.getCause(), e.getCause());
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Phase(samples / seconds, (double) hits.get() / samples);
    }

    /** The batcher's meters so far. */
    BatchTotals batchTotals() {
      DistributionSummary size = registry.get("aevlp.labeler.batch.size").summary();
      Timer compute = registry.get("aevlp.labeler.compute").timer();
      Timer queue = registry.get("aevlp.labeler.queue").timer();
      return new BatchTotals(size.count(), size.totalAmount(), compute.totalTime(TimeUnit.MILLISECONDS),
          queue.count(), queue.totalTime(TimeUnit.MILLISECONDS));
    }

    private PseudoLabelsRequest request(int epoch, int from, int to) {
      PseudoLabelsRequest.Builder request = PseudoLabelsRequest.newBuilder()
          .setDatasetId(dataset.id()).setEpoch(epoch).setSeed(SEED)
          .setParams(DampParams.newBuilder().setGridSize(options.gridSize()));
      for (int index = from; index < to; index++) {
        SampleRef.Builder sample = SampleRef.newBuilder().setIndex(index);
        // A stand-in observed positive: it only moves DAMP's eta, not the work done.
        int positive = index % dataset.numClasses();
        for (int c = 0; c < dataset.numClasses(); c++) {
          sample.addObserved(c == positive ? 1f : 0f);
        }
        request.addSamples(sample);
      }
      return request.build();
    }

    @Override
    public void close() throws InterruptedException {
      clients.shutdownNow();
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.close();
    }
  }
}
