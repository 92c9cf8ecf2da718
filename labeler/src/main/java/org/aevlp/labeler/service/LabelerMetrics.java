package org.aevlp.labeler.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.image.SkippedSampleLog;
import org.aevlp.labeler.batching.BatchListener;
import org.aevlp.labeler.batching.DropReason;
import org.aevlp.labeler.batching.DynamicBatcher;
import org.aevlp.labeler.cache.EmbeddingCache;

/**
 * The labeler's meters (DESIGN.md §8), as exported by the Prometheus registry:
 *
 * <pre>
 *   aevlp_labeler_requests_total{method,status}   RPCs by outcome (gRPC status code name)
 *   aevlp_labeler_request_seconds{method}         RPC latency, histogram (percentiles by histogram_quantile)
 *   aevlp_labeler_queue_seconds                   time a request waited in the batcher, histogram
 *   aevlp_labeler_compute_seconds                 time to compute a batch, histogram
 *   aevlp_labeler_batch_size                      images per batch, histogram (buckets 1, 2, 4, ..., 1024)
 *   aevlp_labeler_queue_depth                     requests waiting now
 *   aevlp_labeler_dropped_total{reason}           requests not computed: rejected, expired, cancelled, closed
 *   aevlp_labeler_images_scored_total             images pseudo-labelled
 *   aevlp_labeler_views_embedded_total            views run through the scorer (cache misses)
 *   aevlp_labeler_cache_hits_total / _misses_total / _evictions_total, aevlp_labeler_cache_size_bytes
 *   aevlp_labeler_images_unreadable_total         dataset images that could not be read
 * </pre>
 *
 * Micrometer adds the {@code _total} and {@code _seconds} suffixes itself, so the meters are
 * registered as {@code aevlp.labeler.requests}, {@code aevlp.labeler.request} and so on. Tags have
 * bounded values (two methods, the gRPC status codes, four drop reasons).
 *
 * <p>Distributions are histograms (buckets), not client-side percentiles: percentiles over several
 * labeler pods come from {@code histogram_quantile} over the buckets summed across pods, which
 * per-pod quantiles cannot give.
 */
public final class LabelerMetrics implements BatchListener {

  /** Powers of two up to the largest sensible batch: few buckets, and every batch limit is a bound. */
  private static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  private final MeterRegistry registry;
  private final Timer queue;
  private final Timer compute;
  private final DistributionSummary batchSize;
  private final Counter imagesScored;
  private final Counter viewsEmbedded;
  private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);

  public LabelerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.queue = Timer.builder("aevlp.labeler.queue")
        .description("Time a request waited in the batcher before its batch was dispatched")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    this.compute = Timer.builder("aevlp.labeler.compute")
        .description("Time to compute one batch (decode, render, embed, DAMP)")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
    this.batchSize = DistributionSummary.builder("aevlp.labeler.batch.size")
        .description("Images per dispatched batch")
        .serviceLevelObjectives(BATCH_SIZE_BUCKETS)
        .register(registry);
    this.imagesScored = Counter.builder("aevlp.labeler.images.scored")
        .description("Images pseudo-labelled")
        .register(registry);
    this.viewsEmbedded = Counter.builder("aevlp.labeler.views.embedded")
        .description("Views run through the scorer (embedding cache misses)")
        .register(registry);
    // Every reason up front: a reason that never happened reads 0 instead of missing.
    for (DropReason reason : DropReason.values()) {
      dropped.put(reason, Counter.builder("aevlp.labeler.dropped")
          .description("Requests not computed, by reason")
          .tags("reason", reason.name().toLowerCase(Locale.ROOT))
          .register(registry));
    }
  }

  /** Records a finished RPC. */
  public void request(String method, String status, long nanos) {
    Counter.builder("aevlp.labeler.requests")
        .description("Labeler RPCs by method and gRPC status")
        .tags("method", method, "status", status)
        .register(registry)
        .increment();
    Timer.builder("aevlp.labeler.request")
        .description("Labeler RPC latency")
        .tags("method", method)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts images pseudo-labelled and views embedded by one batch. */
  public void scored(int images, int views) {
    imagesScored.increment(images);
    viewsEmbedded.increment(views);
  }

  /** Exposes the cache's counters and size. */
  public void bindCache(EmbeddingCache cache) {
    FunctionCounter.builder("aevlp.labeler.cache.hits", cache, EmbeddingCache::hits)
        .description("View embeddings found in the cache")
        .register(registry);
    FunctionCounter.builder("aevlp.labeler.cache.misses", cache, EmbeddingCache::misses)
        .description("View embeddings not found in the cache")
        .register(registry);
    FunctionCounter.builder("aevlp.labeler.cache.evictions", cache, EmbeddingCache::evictions)
        .description("View embeddings evicted to stay within the cache's bound")
        .register(registry);
    Gauge.builder("aevlp.labeler.cache.size", cache, EmbeddingCache::bytes)
        .baseUnit("bytes")
        .description("Bytes charged for the cached view embeddings")
        .register(registry);
  }

  /** Exposes the batcher's queue depth. */
  public void bindQueue(DynamicBatcher<?, ?> batcher) {
    Gauge.builder("aevlp.labeler.queue.depth", batcher, DynamicBatcher::queueDepth)
        .description("Requests waiting in the batcher")
        .register(registry);
  }

  /** Exposes the count of unreadable dataset images. */
  public void bindSkippedImages(SkippedSampleLog log) {
    FunctionCounter.builder("aevlp.labeler.images.unreadable", log, SkippedSampleLog::count)
        .description("Dataset images that could not be read (missing or corrupt)")
        .register(registry);
  }

  @Override
  public void batchDispatched(int requests, int images) {
    batchSize.record(images);
  }

  @Override
  public void queued(long nanos) {
    queue.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void computed(long nanos) {
    compute.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void dropped(DropReason reason) {
    dropped.get(reason).increment();
  }
}
