package org.aevlp.labeler.service;

import java.time.Duration;
import java.util.Objects;
import org.aevlp.common.grpc.GrpcSecurity;

/**
 * How a {@link LabelerServer} runs.
 *
 * @param bindAddress address to listen on; empty for all interfaces
 * @param port gRPC port, 0 for any free port
 * @param actors labeler actors computing batches in parallel (and threads of their dispatcher)
 * @param maxBatchImages images per batch at most (1 turns dynamic batching off)
 * @param maxDelay longest wait of a request for others to join its batch
 * @param queueCapacity requests that may wait; more are rejected with RESOURCE_EXHAUSTED
 * @param cacheBytes bound of the view-embedding cache in bytes; 0 disables it
 * @param embedBothFlips embed both orientations of a missing view, so that later epochs hit the
 *     cache whatever flip they draw
 * @param maxItemsPerRequest samples or images one request may carry
 * @param maxGridSize largest DAMP grid_size accepted
 * @param decoderThreads threads decoding dataset images
 * @param shutdownGrace how long shutdown waits for calls in flight before cancelling them
 * @param security TLS and bearer token of the gRPC server
 */
public record LabelerSettings(
    String bindAddress,
    int port,
    int actors,
    int maxBatchImages,
    Duration maxDelay,
    int queueCapacity,
    long cacheBytes,
    boolean embedBothFlips,
    int maxItemsPerRequest,
    int maxGridSize,
    int decoderThreads,
    Duration shutdownGrace,
    GrpcSecurity security) {

  public LabelerSettings {
    bindAddress = bindAddress == null ? "" : bindAddress.strip();
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(security, "security");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }
    requirePositive("actors", actors);
    requirePositive("max batch images", maxBatchImages);
    requirePositive("queue capacity", queueCapacity);
    requirePositive("max items per request", maxItemsPerRequest);
    requirePositive("max grid size", maxGridSize);
    requirePositive("decoder threads", decoderThreads);
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("max delay must be >= 0, got " + maxDelay);
    }
    if (cacheBytes < 0) {
      throw new IllegalArgumentException("cache bytes must be >= 0, got " + cacheBytes);
    }
  }

  /**
   * All interfaces, an ephemeral port, 2 actors, batches of up to 64 images or 5 ms, 256 queued
   * requests, a 256 MiB cache embedding both flips, 1024 items per request, grid_size up to 8,
   * 2 decoder threads, 10 s shutdown grace, plaintext without a token.
   */
  public static LabelerSettings defaults() {
    return new LabelerSettings(
        "", 0, 2, 64, Duration.ofMillis(5), 256, 256L << 20, true, 1024, 8, 2, Duration.ofSeconds(10),
        GrpcSecurity.none());
  }

  public LabelerSettings withBindAddress(String newBindAddress) {
    return new LabelerSettings(newBindAddress, port, actors, maxBatchImages, maxDelay, queueCapacity, cacheBytes,
        embedBothFlips, maxItemsPerRequest, maxGridSize, decoderThreads, shutdownGrace, security);
  }

  public LabelerSettings withPort(int newPort) {
    return new LabelerSettings(bindAddress, newPort, actors, maxBatchImages, maxDelay, queueCapacity, cacheBytes,
        embedBothFlips, maxItemsPerRequest, maxGridSize, decoderThreads, shutdownGrace, security);
  }

  public LabelerSettings withActors(int newActors) {
    return new LabelerSettings(bindAddress, port, newActors, maxBatchImages, maxDelay, queueCapacity, cacheBytes,
        embedBothFlips, maxItemsPerRequest, maxGridSize, decoderThreads, shutdownGrace, security);
  }

  public LabelerSettings withBatching(int newMaxBatchImages, Duration newMaxDelay) {
    return new LabelerSettings(bindAddress, port, actors, newMaxBatchImages, newMaxDelay, queueCapacity, cacheBytes,
        embedBothFlips, maxItemsPerRequest, maxGridSize, decoderThreads, shutdownGrace, security);
  }

  public LabelerSettings withQueueCapacity(int newQueueCapacity) {
    return new LabelerSettings(bindAddress, port, actors, maxBatchImages, maxDelay, newQueueCapacity, cacheBytes,
        embedBothFlips, maxItemsPerRequest, maxGridSize, decoderThreads, shutdownGrace, security);
  }

  public LabelerSettings withCache(long newCacheBytes, boolean newEmbedBothFlips) {
    return new LabelerSettings(bindAddress, port, actors, maxBatchImages, maxDelay, queueCapacity, newCacheBytes,
        newEmbedBothFlips, maxItemsPerRequest, maxGridSize, decoderThreads, shutdownGrace, security);
  }

  public LabelerSettings withMaxItemsPerRequest(int newMaxItemsPerRequest) {
    return new LabelerSettings(bindAddress, port, actors, maxBatchImages, maxDelay, queueCapacity, cacheBytes,
        embedBothFlips, newMaxItemsPerRequest, maxGridSize, decoderThreads, shutdownGrace, security);
  }

  public LabelerSettings withSecurity(GrpcSecurity newSecurity) {
    return new LabelerSettings(bindAddress, port, actors, maxBatchImages, maxDelay, queueCapacity, cacheBytes,
        embedBothFlips, maxItemsPerRequest, maxGridSize, decoderThreads, shutdownGrace, newSecurity);
  }

  private static void requirePositive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + value);
    }
  }
}
