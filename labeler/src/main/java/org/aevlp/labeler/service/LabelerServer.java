package org.aevlp.labeler.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.aevlp.common.grpc.GrpcServerAssembly;
import org.aevlp.common.grpc.RunningGrpcServer;
import org.aevlp.common.image.ParallelImageDecoder;
import org.aevlp.common.image.SkippedSampleLog;
import org.aevlp.labeler.batching.BatcherSettings;
import org.aevlp.labeler.batching.DynamicBatcher;
import org.aevlp.labeler.cache.EmbeddingCache;
import org.aevlp.labeler.scorer.Scorer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labeler process's gRPC server (DESIGN.md §2): LabelerService in front of a {@link
 * LabelerPool} fed by a {@link DynamicBatcher}, started by {@link GrpcServerAssembly} (so with gRPC
 * health, SERVING for {@code ""} and {@code aevlp.v1.LabelerService} while up, server reflection,
 * gRPC meters, and TLS and the bearer token of {@link LabelerSettings#security()}).
 *
 * <p>{@link #close()} shuts down gracefully: health turns NOT_SERVING, new calls are refused,
 * calls in flight get {@link LabelerSettings#shutdownGrace()} to finish, then the batcher, the
 * actors, the actor system (when the server created it) and the decoder stop. The scorer and the
 * meter registry stay the caller's.
 */
public final class LabelerServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LabelerServer.class);

  /** Numbers the servers of this JVM, so their actors' names never clash in a shared system. */
  private static final AtomicInteger SERVERS = new AtomicInteger();

  private final LabelerSettings settings;
  private final RunningGrpcServer server;
  private final DynamicBatcher<LabelingTask, LabelingResult> batcher;
  private final LabelerPool pool;
  private final DampLabeler labeler;
  private final ParallelImageDecoder decoder;
  private final ActorSystem<?> system;
  private final boolean ownsSystem;
  private boolean closed;

  private LabelerServer(
      LabelerSettings settings,
      RunningGrpcServer server,
      DynamicBatcher<LabelingTask, LabelingResult> batcher,
      LabelerPool pool,
      DampLabeler labeler,
      ParallelImageDecoder decoder,
      ActorSystem<?> system,
      boolean ownsSystem) {
    this.settings = settings;
    this.server = server;
    this.batcher = batcher;
    this.pool = pool;
    this.labeler = labeler;
    this.decoder = decoder;
    this.system = system;
    this.ownsSystem = ownsSystem;
  }

  /** Starts a labeler with an actor system of its own (terminated by {@link #close()}). */
  public static LabelerServer start(
      LabelerSettings settings, Scorer scorer, List<LabelerDataset> datasets, MeterRegistry registry)
      throws IOException {
    Config config = ConfigFactory.parseString(
            LabelerPool.DISPATCHER + ".thread-pool-executor.fixed-pool-size = " + settings.actors())
        .withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "aevlp-labeler", config);
    try {
      return start(settings, scorer, datasets, registry, system, true);
    } catch (IOException | RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  /**
   * Starts a labeler whose actors live in {@code system} (e.g. the node's cluster system), which
   * {@link #close()} leaves running; {@code system}'s config must define {@value
   * LabelerPool#DISPATCHER} (the labeler's reference.conf does).
   */
  public static LabelerServer start(
      LabelerSettings settings,
      Scorer scorer,
      List<LabelerDataset> datasets,
      MeterRegistry registry,
      ActorSystem<?> system)
      throws IOException {
    return start(settings, scorer, datasets, registry, system, false);
  }

  private static LabelerServer start(
      LabelerSettings settings,
      Scorer scorer,
      List<LabelerDataset> datasets,
      MeterRegistry registry,
      ActorSystem<?> system,
      boolean ownsSystem)
      throws IOException {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      LabelerMetrics metrics = new LabelerMetrics(registry);
      EmbeddingCache cache = new EmbeddingCache(settings.cacheBytes());
      metrics.bindCache(cache);
      SkippedSampleLog skipped = new SkippedSampleLog();
      metrics.bindSkippedImages(skipped);
      ParallelImageDecoder decoder = new ParallelImageDecoder(settings.decoderThreads(), 4 * settings.maxBatchImages(), skipped);
      started.add(decoder);
      DampLabeler labeler = new DampLabeler(scorer, datasets, cache, decoder, metrics, settings.embedBothFlips());
      LabelerPool pool = new LabelerPool(system, labeler, settings.actors(), "labeler-" + SERVERS.incrementAndGet());
      started.add(pool);
      DynamicBatcher<LabelingTask, LabelingResult> batcher = new DynamicBatcher<>(
          "labeler",
          new BatcherSettings(settings.maxBatchImages(), settings.maxDelay(), settings.queueCapacity(), pool.size()),
          pool,
          metrics);
      started.add(batcher);
      metrics.bindQueue(batcher);

      RequestValidator validator = new RequestValidator(labeler, settings.maxItemsPerRequest(), settings.maxGridSize());
      RunningGrpcServer server = GrpcServerAssembly.start(settings.bindAddress(), settings.port(), settings.security(),
          registry, List.of(new LabelerGrpcService(validator, batcher, metrics)));
      LOG.info("labeler serving {} with scorer {} on port {}", labeler.datasetIds(), scorer.name(), server.port());
      return new LabelerServer(settings, server, batcher, pool, labeler, decoder, system, ownsSystem);
    } catch (IOException | RuntimeException e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** The port the server listens on (the chosen one when the settings asked for 0). */
  public int port() {
    return server.port();
  }

  public LabelerSettings settings() {
    return settings;
  }

  /** The batcher in front of the actors (its counters: rejected, expired, batches). */
  public DynamicBatcher<LabelingTask, LabelingResult> batcher() {
    return batcher;
  }

  /** The labeler the actors run (its cache, datasets and text embeddings). */
  public DampLabeler labeler() {
    return labeler;
  }

  /** Blocks until the server has terminated. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Shuts down gracefully (see the class comment). Idempotent; a second caller waits until the
   * first has finished.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown(settings.shutdownGrace());
    batcher.close();
    pool.close();
    if (ownsSystem) {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("labeler actor system did not terminate cleanly", e);
      }
    }
    decoder.close();
  }
}
