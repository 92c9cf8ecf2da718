package org.aevlp.cli;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.aevlp.common.cluster.ClusterNodeConfig;
import org.aevlp.common.cluster.WorkerProtocol.TensorEndpoint;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.common.grpc.GrpcServerAssembly;
import org.aevlp.common.grpc.RunningGrpcServer;
import org.aevlp.common.runs.RunResult;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStore;
import org.aevlp.common.tensor.TensorChannelServer;
import org.aevlp.common.tensor.TensorStore;
import org.aevlp.coordinator.experiments.ExperimentManager;
import org.aevlp.coordinator.experiments.ManagerSettings;
import org.aevlp.coordinator.metrics.ClusterMetrics;
import org.aevlp.coordinator.metrics.TrainingMetrics;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.coordinator.service.ExperimentGrpcService;
import org.aevlp.proto.v1.ExperimentSpec;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The coordinator side of a node: the tensor store and its TensorChannel server, the experiment
 * manager (a cluster singleton over the run store) and the ExperimentService gRPC server in front
 * of it. Each experiment records its {@link TrainingMetrics} on the node's meter registry. One per
 * coordinator process (or embedded cluster).
 */
public final class CoordinatorNode implements AutoCloseable {

  private final TensorStore store;
  private final TensorChannelServer tensorServer;
  private final RunningGrpcServer grpcServer;
  private final ExecutorService blocking;
  private final ActorSystem<?> system;
  private final ActorRef<ExperimentManager.Command> manager;
  private final Map<String, RunListener> localListeners;
  private final Path runRoot;

  private CoordinatorNode(TensorStore store, TensorChannelServer tensorServer, RunningGrpcServer grpcServer,
      ExecutorService blocking, ActorSystem<?> system, ActorRef<ExperimentManager.Command> manager,
      Map<String, RunListener> localListeners, Path runRoot) {
    this.store = store;
    this.tensorServer = tensorServer;
    this.grpcServer = grpcServer;
    this.blocking = blocking;
    this.system = system;
    this.manager = manager;
    this.localListeners = localListeners;
    this.runRoot = runRoot;
  }

  /**
   * Starts the tensor channel on {@code host:tensorPort} and the ExperimentService on {@code
   * host:grpcPort} (0: a free port), both with {@code security} (TLS, bearer token) and gRPC meters
   * on {@code registry}, and the experiment manager singleton over {@code runRoot}.
   *
   * @throws IOException when a port cannot be bound (the message names it) or the run store not
   *     opened
   */
  public static CoordinatorNode start(ActorSystem<?> system, String host, int tensorPort, int grpcPort, Path runRoot,
      RunnerSettings settings, GrpcSecurity security, MeterRegistry registry) throws IOException {
    RunStore runs = RunStore.open(runRoot);
    TensorStore store = TensorStore.open();
    ExecutorService blocking = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "coordinator-disk");
      t.setDaemon(true);
      return t;
    });
    TensorChannelServer tensorServer = null;
    try {
      tensorServer = TensorChannelServer.start(store, host, tensorPort, security, registry);
      TensorEndpoint endpoint = new TensorEndpoint(tensorServer.host(), tensorServer.port(), store.id());
      Map<String, RunListener> listeners = new ConcurrentHashMap<>();
      Map<String, TrainingMetrics> metrics = new ConcurrentHashMap<>();
      ManagerSettings managerSettings = new ManagerSettings(runs, settings, store, endpoint,
          id -> RunListener.both(metrics.computeIfAbsent(id, key -> new TrainingMetrics(registry, key)),
              listeners.getOrDefault(id, RunListener.NONE)),
          new ClusterMetrics(registry), blocking);
      ActorRef<ExperimentManager.Command> manager = ClusterSingleton.get(system).init(
          SingletonActor.of(ExperimentManager.create(managerSettings), "experiment-manager")
              .withSettings(ClusterSingletonSettings.create(system).withRole(ClusterNodeConfig.COORDINATOR_ROLE)));
      RunningGrpcServer grpc = GrpcServerAssembly.start(host, grpcPort, security, registry,
          List.of(new ExperimentGrpcService(system, manager, Duration.ofSeconds(30), Duration.ofMinutes(10))));
      return new CoordinatorNode(store, tensorServer, grpc, blocking, system, manager, listeners, runs.root());
    } catch (IOException | RuntimeException e) {
      if (tensorServer != null) {
        tensorServer.close();
      }
      store.close();
      blocking.shutdownNow();
      throw e;
    }
  }

  /** Port of the tensor channel. */
  public int tensorPort() {
    return tensorServer.port();
  }

  /** Port of the ExperimentService. */
  public int grpcPort() {
    return grpcServer.port();
  }

  /** The experiment manager (through the singleton proxy). */
  public ActorRef<ExperimentManager.Command> manager() {
    return manager;
  }

  /** The outcome of a run: its result, or why it failed or was cancelled. */
  public record Outcome(RunState state, Optional<RunResult> result, String reason, Path runDir) {}

  /**
   * Submits a spec as experiment {@code runId} through the manager (queued behind earlier ones) and
   * completes when it ends. {@code progress} is told everything; it must run in this JVM, on the
   * node that hosts the manager (embedded clusters and single-coordinator deployments).
   *
   * @throws IllegalArgumentException with the manager's reason (naming the field) when refused
   */
  public CompletableFuture<Outcome> run(String runId, ExperimentSpec spec, RunListener progress) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    Path runDir = runRoot.resolve(runId);
    localListeners.put(runId, new RunListener() {
      @Override
      public void onState(RunState state, String message) {
        progress.onState(state, message);
        if (state == RunState.CANCELLED) {
          end(new Outcome(state, Optional.empty(), message, runDir));
        }
      }

      @Override
      public void onStep(org.aevlp.coordinator.runner.StepProgress step) {
        progress.onStep(step);
      }

      @Override
      public void onEpoch(org.aevlp.common.runs.EpochRecord record,
          org.aevlp.coordinator.runner.EpochSampleCount samples) {
        progress.onEpoch(record, samples);
      }

      @Override
      public void onCompleted(RunResult result) {
        progress.onCompleted(result);
        end(new Outcome(RunState.COMPLETED, Optional.of(result), "", runDir));
      }

      @Override
      public void onFailed(String reason) {
        progress.onFailed(reason);
        end(new Outcome(RunState.FAILED, Optional.empty(), reason, runDir));
      }

      private void end(Outcome result) {
        localListeners.remove(runId);
        outcome.complete(result);
      }
    });
    ExperimentManager.SubmitReply reply;
    try {
      reply = AskPattern.<ExperimentManager.Command, ExperimentManager.SubmitReply>ask(manager,
          replyTo -> new ExperimentManager.Submit(runId, Optional.of(runId), spec, replyTo), Duration.ofSeconds(30),
          system.scheduler()).toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while submitting " + runId, e);
    } catch (ExecutionException e) {
      localListeners.remove(runId);
      throw new IllegalStateException("the experiment manager did not answer: " + e.getCause().getMessage(), e);
    }
    if (reply.accepted().isEmpty()) {
      localListeners.remove(runId);
      throw new IllegalArgumentException(reply.refusal());
    }
    return outcome;
  }

  @Override
  public void close() {
    grpcServer.shutdown(Duration.ofSeconds(5));
    tensorServer.close();
    store.close();
    blocking.shutdownNow();
  }
}
