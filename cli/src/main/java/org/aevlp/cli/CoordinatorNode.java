package org.aevlp.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.aevlp.common.cluster.ExperimentDataset;
import org.aevlp.common.cluster.WorkerProtocol.TensorEndpoint;
import org.aevlp.common.data.SpmlDataset;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunDirectory;
import org.aevlp.common.runs.RunResult;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStatus;
import org.aevlp.common.runs.RunStore;
import org.aevlp.common.spec.SpecJson;
import org.aevlp.common.tensor.TensorChannelServer;
import org.aevlp.common.tensor.TensorStore;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.ExperimentRunner;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.coordinator.runner.StepProgress;
import org.aevlp.proto.v1.ExperimentSpec;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;

/**
 * The coordinator side of a node: the tensor store and its TensorChannel server, and experiment
 * runners writing into a run store. One per coordinator process (or embedded cluster).
 */
public final class CoordinatorNode implements AutoCloseable {

  private final ActorSystem<?> system;
  private final TensorStore store;
  private final TensorChannelServer server;
  private final RunStore runs;
  private final RunnerSettings settings;

  private CoordinatorNode(ActorSystem<?> system, TensorStore store, TensorChannelServer server, RunStore runs,
      RunnerSettings settings) {
    this.system = system;
    this.store = store;
    this.server = server;
    this.runs = runs;
    this.settings = settings;
  }

  /** Starts the tensor channel in plaintext without a token, metered on the global registry. */
  public static CoordinatorNode start(ActorSystem<?> system, String host, int tensorPort, Path runRoot,
      RunnerSettings settings) throws IOException {
    return start(system, host, tensorPort, runRoot, settings, GrpcSecurity.none(), Metrics.globalRegistry);
  }

  /**
   * Starts the tensor channel on {@code host:tensorPort} (0: a free port) with {@code security},
   * its gRPC meters on {@code registry}.
   *
   * @throws IOException when the port cannot be bound or the run directory not created
   */
  public static CoordinatorNode start(ActorSystem<?> system, String host, int tensorPort, Path runRoot,
      RunnerSettings settings, GrpcSecurity security, MeterRegistry registry) throws IOException {
    TensorStore store = TensorStore.open();
    try {
      TensorChannelServer server = TensorChannelServer.start(store, host, tensorPort, security, registry);
      return new CoordinatorNode(system, store, server, RunStore.open(runRoot), settings);
    } catch (IOException e) {
      store.close();
      throw e;
    }
  }

  /** Port of the tensor channel. */
  public int tensorPort() {
    return server.port();
  }

  /** The outcome of a run: its result, or why it failed. */
  public record Outcome(RunState state, Optional<RunResult> result, String reason, Path runDir) {}

  /**
   * Starts running a validated spec as run {@code runId}; the future completes when it ends.
   *
   * @param progress also told everything (may be {@link RunListener#NONE})
   * @throws IllegalArgumentException naming the field when the spec asks for what the runner does
   *     not support
   */
  public CompletableFuture<Outcome> run(String runId, ExperimentSpec spec, RunListener progress) throws IOException {
    ExperimentRunner.requireSupported(spec);
    SpmlDataset dataset = ExperimentDataset.open(spec, settings.dataDir());
    String specJson = SpecJson.toJson(spec);
    RunDirectory run = runs.create(runId, specJson, RunStatus.queued(System.currentTimeMillis()));
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    RunListener listener = new RunListener() {
      @Override
      public void onState(RunState state, String message) {
        progress.onState(state, message);
      }

      @Override
      public void onStep(StepProgress step) {
        progress.onStep(step);
      }

      @Override
      public void onEpoch(EpochRecord record, EpochSampleCount samples) {
        progress.onEpoch(record, samples);
      }

      @Override
      public void onCompleted(RunResult result) {
        progress.onCompleted(result);
        outcome.complete(new Outcome(RunState.COMPLETED, Optional.of(result), "", run.path()));
      }

      @Override
      public void onFailed(String reason) {
        progress.onFailed(reason);
        outcome.complete(new Outcome(RunState.FAILED, Optional.empty(), reason, run.path()));
      }
    };
    TensorEndpoint endpoint = new TensorEndpoint(server.host(), server.port(), store.id());
    system.systemActorOf(ExperimentRunner.create(new ExperimentRunner.RunnerInputs(runId, spec, specJson, dataset,
        run, store, endpoint, settings, listener)), "runner-" + runId, Props.empty());
    return outcome;
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }
}
