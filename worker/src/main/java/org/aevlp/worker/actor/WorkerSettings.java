package org.aevlp.worker.actor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.worker.labeling.RetryBackoff;

/**
 * How a worker runs.
 *
 * @param dataDir where this worker keeps datasets; empty: the spec's {@code data_dir}
 * @param labelerAddresses labeler gRPC targets ({@code host:port} or e.g. {@code dns:///host:port});
 *     empty: the worker uses the labelers that joined the cluster ({@code LabelerDiscovery})
 * @param decoderThreads image decoding threads
 * @param labelerDeadline deadline of one labeler call
 * @param labelerBackoff waits between labeler retries
 * @param forceGrpcTensors use the gRPC tensor channel even when the coordinator shares this JVM
 *     (tests and benchmarks of the network path)
 * @param meterRegistry where the worker's meters go (the process's Prometheus registry); by
 *     default an empty composite registry, which records nothing
 * @param security TLS and bearer token of the channels to the labelers and the coordinator
 * @param labelerDiscoveryWait how long a worker without labeler addresses waits for a labeler to
 *     join the cluster before it refuses an experiment that needs pseudo-labels
 */
public record WorkerSettings(
    Optional<Path> dataDir,
    List<String> labelerAddresses,
    int decoderThreads,
    Duration labelerDeadline,
    RetryBackoff labelerBackoff,
    boolean forceGrpcTensors,
    MeterRegistry meterRegistry,
    GrpcSecurity security,
    Duration labelerDiscoveryWait) {

  public WorkerSettings {
    labelerAddresses = List.copyOf(labelerAddresses);
    if (meterRegistry == null) {
      throw new IllegalArgumentException("meter registry: must not be null");
    }
    Objects.requireNonNull(security, "security");
    if (labelerDiscoveryWait.isNegative()) {
      throw new IllegalArgumentException("labeler discovery wait: must not be negative, got " + labelerDiscoveryWait);
    }
    if (decoderThreads < 1) {
      throw new IllegalArgumentException("decoder threads: must be >= 1, got " + decoderThreads);
    }
  }

  /**
   * Defaults: two decoding threads, 60 s labeler deadline, default backoff, local tensors when
   * possible, no metrics, plaintext without a token, 20 s wait for a labeler to join the cluster.
   */
  public static WorkerSettings of(Optional<Path> dataDir, List<String> labelerAddresses) {
    return new WorkerSettings(dataDir, labelerAddresses, 2, Duration.ofSeconds(60), RetryBackoff.DEFAULT, false,
        new CompositeMeterRegistry(), GrpcSecurity.none(), Duration.ofSeconds(20));
  }

  public WorkerSettings withForceGrpcTensors(boolean force) {
    return new WorkerSettings(dataDir, labelerAddresses, decoderThreads, labelerDeadline, labelerBackoff, force,
        meterRegistry, security, labelerDiscoveryWait);
  }

  public WorkerSettings withDecoderThreads(int threads) {
    return new WorkerSettings(dataDir, labelerAddresses, threads, labelerDeadline, labelerBackoff,
        forceGrpcTensors, meterRegistry, security, labelerDiscoveryWait);
  }

  public WorkerSettings withLabelerBackoff(RetryBackoff backoff) {
    return new WorkerSettings(dataDir, labelerAddresses, decoderThreads, labelerDeadline, backoff,
        forceGrpcTensors, meterRegistry, security, labelerDiscoveryWait);
  }

  public WorkerSettings withMeterRegistry(MeterRegistry registry) {
    return new WorkerSettings(dataDir, labelerAddresses, decoderThreads, labelerDeadline, labelerBackoff,
        forceGrpcTensors, registry, security, labelerDiscoveryWait);
  }

  public WorkerSettings withSecurity(GrpcSecurity newSecurity) {
    return new WorkerSettings(dataDir, labelerAddresses, decoderThreads, labelerDeadline, labelerBackoff,
        forceGrpcTensors, meterRegistry, newSecurity, labelerDiscoveryWait);
  }

  public WorkerSettings withLabelerDiscoveryWait(Duration wait) {
    return new WorkerSettings(dataDir, labelerAddresses, decoderThreads, labelerDeadline, labelerBackoff,
        forceGrpcTensors, meterRegistry, security, wait);
  }
}
