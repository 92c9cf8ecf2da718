package org.aevlp.worker.labeling;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.aevlp.common.grpc.GrpcChannels;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.proto.v1.LabelerServiceGrpc;
import org.aevlp.proto.v1.PseudoLabelRow;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.PseudoLabelsResponse;
import org.aevlp.proto.v1.SampleRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC client of the LabelerService (DESIGN §2): round-robin over the labeler targets (fixed, or
 * those discovered in the cluster at the time of the call), each one a long-lived channel from
 * {@link GrpcChannels}; a target such as {@code dns:///aevlp-labeler:50061} itself spreads calls round-robin over every address the name resolves to, so several labeler
 * pods share the load), a deadline per call, and retries with exponential backoff for as long as
 * the labelers are unreachable or overloaded. The step waits meanwhile: training never goes on
 * without the pseudo-labels the loss asked for.
 */
public final class LabelerClient implements PseudoLabelSource {

  private static final Logger LOG = LoggerFactory.getLogger(LabelerClient.class);

  /** Statuses a retry can cure: the labeler is down, starting, overloaded or slow. */
  private static final Set<Status.Code> RETRYABLE = EnumSet.of(Status.Code.UNAVAILABLE,
      Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.UNKNOWN);

  private final Supplier<List<String>> targets;
  private final Duration deadline;
  private final RetryBackoff backoff;
  private final GrpcSecurity security;
  private final MeterRegistry registry;
  private final Runnable onRetry;
  private final AtomicInteger next = new AtomicInteger();
  /** One long-lived channel per target in use; guarded by {@code this}. */
  private final Map<String, ManagedChannel> channels = new HashMap<>();
  private boolean closed;

  /** Plaintext without a token, metered on the global registry. */
  public LabelerClient(List<String> addresses, Duration deadline, RetryBackoff backoff) {
    this(addresses, deadline, backoff, GrpcSecurity.none(), Metrics.globalRegistry);
  }

  /**
   * @param addresses labeler targets, {@code host:port} or gRPC targets such as {@code
   *     dns:///host:port}, at least one
   * @param deadline deadline of one call
   * @param backoff waits between retries
   * @param security TLS and bearer token of the channels
   * @param registry where the gRPC client meters go
   */
  public LabelerClient(List<String> addresses, Duration deadline, RetryBackoff backoff, GrpcSecurity security,
      MeterRegistry registry) {
    this(addresses, deadline, backoff, security, registry, () -> { });
  }

  /**
   * As above, with {@code onRetry} told before every retry (the worker counts them).
   */
  public LabelerClient(List<String> addresses, Duration deadline, RetryBackoff backoff, GrpcSecurity security,
      MeterRegistry registry, Runnable onRetry) {
    this(fixed(addresses), deadline, backoff, security, registry, onRetry);
  }

  /**
   * A client whose targets may change between calls: {@code targets} is read before every call
   * (e.g. a {@link LabelerDirectory} fed by cluster discovery). While it is empty, calls wait and
   * retry with the backoff like calls to an unreachable labeler; channels to targets that are gone
   * are shut down.
   */
  public LabelerClient(Supplier<List<String>> targets, Duration deadline, RetryBackoff backoff, GrpcSecurity security,
      MeterRegistry registry, Runnable onRetry) {
    this.targets = targets;
    this.deadline = deadline;
    this.backoff = backoff;
    this.security = security;
    this.registry = registry;
    this.onRetry = onRetry;
  }

  private static Supplier<List<String>> fixed(List<String> addresses) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("labeler: at least one address (host:port) is needed");
    }
    List<String> checked = addresses.stream().map(a -> GrpcChannels.requireTarget("labeler", a)).toList();
    return () -> checked;
  }

  /** The next target round-robin with its channel, or null while no labeler is known. */
  private synchronized Target nextTarget() {
    if (closed) {
      throw new IllegalStateException("labeler client is closed");
    }
    List<String> now = targets.get();
    for (var it = channels.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, ManagedChannel> entry = it.next();
      if (!now.contains(entry.getKey())) {
        // calls in flight on it finish; the labeler left the cluster anyway
        entry.getValue().shutdown();
        it.remove();
      }
    }
    if (now.isEmpty()) {
      return null;
    }
    String address = now.get(Math.floorMod(next.getAndIncrement(), now.size()));
    return new Target(address, channels.computeIfAbsent(address, a -> GrpcChannels.open(a, security, registry)));
  }

  private record Target(String address, ManagedChannel channel) {}

  @Override
  public int[][] pseudoLabels(PseudoLabelQuery query) throws LabelerException, InterruptedException {
    PseudoLabelsRequest request = toRequest(query);
    for (int attempt = 0; ; attempt++) {
      Target target = nextTarget();
      if (target == null) {
        Duration wait = backoff.delay(attempt);
        LOG.warn("no labeler known yet (none has registered with the cluster), attempt {}; the step waits,"
            + " retrying in {} ms", attempt + 1, wait.toMillis());
        onRetry.run();
        Thread.sleep(wait.toMillis());
        continue;
      }
      try {
        PseudoLabelsResponse response = LabelerServiceGrpc.newBlockingStub(target.channel())
            .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
            .pseudoLabels(request);
        if (attempt > 0) {
          LOG.info("labeler {} answered after {} failed attempt(s)", target.address(), attempt);
        }
        return toRows(response, query);
      } catch (StatusRuntimeException e) {
        if (!RETRYABLE.contains(e.getStatus().getCode())) {
          throw new LabelerException("labeler " + target.address() + " rejected the request for "
              + query.indices().length + " samples of epoch " + query.epoch() + ": " + e.getStatus(), e);
        }
        Duration wait = backoff.delay(attempt);
        LOG.warn("labeler {} unavailable ({}), attempt {}; the step waits, retrying in {} ms",
            target.address(), e.getStatus().getCode(), attempt + 1, wait.toMillis());
        onRetry.run();
        Thread.sleep(wait.toMillis());
      }
    }
  }

  private static PseudoLabelsRequest toRequest(PseudoLabelQuery query) {
    PseudoLabelsRequest.Builder request = PseudoLabelsRequest.newBuilder()
        .setDatasetId(query.datasetId())
        .setEpoch(query.epoch())
        .setSeed(query.seed())
        .setParams(query.params());
    for (int i = 0; i < query.indices().length; i++) {
      SampleRef.Builder sample = SampleRef.newBuilder().setIndex(query.indices()[i]);
      for (float v : query.observed().get(i)) {
        sample.addObserved(v);
      }
      request.addSamples(sample);
    }
    return request.build();
  }

  private static int[][] toRows(PseudoLabelsResponse response, PseudoLabelQuery query) throws LabelerException {
    int n = query.indices().length;
    if (response.getRowsCount() != n) {
      throw new LabelerException("labeler answered " + response.getRowsCount() + " rows for " + n + " samples");
    }
    int[][] rows = new int[n][];
    for (int i = 0; i < n; i++) {
      PseudoLabelRow row = response.getRows(i);
      if (row.getIndex() != query.indices()[i] || row.getLabelsCount() != query.numClasses()) {
        throw new LabelerException("labeler row " + i + " is for sample " + row.getIndex() + " with "
            + row.getLabelsCount() + " labels; expected sample " + query.indices()[i] + " with " + query.numClasses());
      }
      rows[i] = new int[query.numClasses()];
      for (int c = 0; c < rows[i].length; c++) {
        int v = row.getLabels(c);
        if (v < -1 || v > 1) {
          throw new LabelerException("labeler row " + i + ", class " + c + ": pseudo-label " + v + " not in {-1, 0, 1}");
        }
        rows[i][c] = v;
      }
    }
    return rows;
  }

  @Override
  public synchronized void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
