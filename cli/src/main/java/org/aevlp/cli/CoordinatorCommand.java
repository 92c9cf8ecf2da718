package org.aevlp.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.aevlp.common.cluster.ClusterNodeConfig;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunResult;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.spec.ParsedSpec;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.common.telemetry.Telemetry;
import org.aevlp.common.telemetry.TelemetrySettings;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.coordinator.runner.StepProgress;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code aevlp coordinator}: the coordinator process of a cluster. It serves ExperimentService on
 * {@code --grpc-port} and runs what is submitted over the workers that join; with {@code --config}
 * it also submits that experiment itself, prints its progress and exits when it ends.
 */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the coordinator of a training cluster: the experiment manager (queue, run store, resume after a "
          + "restart), ExperimentService on --grpc-port, and the tensor channel workers exchange gradients over. "
          + "Workers join with: aevlp worker --seed-nodes HOST:PORT.",
      "Without --config it serves until stopped (submit with aevlp submit). With --config it submits that "
          + "experiment, prints its progress and exits: 0 completed, 1 failed, 4 cancelled.",
      "Exit codes: 2 bad arguments or spec, 3 a port in use or the run store not writable."
    })
final class CoordinatorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--run-dir", required = true, paramLabel = "DIR", description = "Run store root: one directory per experiment (DIR/ID), also what the coordinator resumes from after a restart.")
  Path runDir;

  @Option(names = "--config", paramLabel = "FILE", description = "Submit this experiment spec (JSON, reference keys) at start and exit when it ends.")
  Path config;

  @Option(names = "--run-id", paramLabel = "ID", description = "Experiment id for --config (default: <spec name>-<timestamp>); submitting again with the same id after a restart resumes it.")
  String runId;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where this node finds the dataset's label files (default: the spec's data_dir).")
  Path dataDir;

  @Option(names = "--host", paramLabel = "HOST", description = "Address other nodes reach this one at (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "PORT", description = "Cluster (remoting) port (default: ${DEFAULT-VALUE}).")
  int port = 2551;

  @Option(names = "--seed-nodes", split = ",", paramLabel = "HOST:PORT", description = "Seed nodes (default: this node itself).")
  List<String> seedNodes = new ArrayList<>();

  @Option(names = "--discovery", paramLabel = "MODE", description = "seed-nodes or kubernetes (Cluster Bootstrap; default: ${DEFAULT-VALUE}).")
  String discovery = "seed-nodes";

  @Option(names = "--grpc-port", paramLabel = "PORT", description = "ExperimentService gRPC port, with health and reflection (0: any free port; default: ${DEFAULT-VALUE}).")
  int grpcPort = 50051;

  @Option(names = "--tensor-port", paramLabel = "PORT", description = "TensorChannel gRPC port (0: any free port; default: ${DEFAULT-VALUE}).")
  int tensorPort = 7070;

  @Option(names = "--metrics-port", paramLabel = "P", description = "Port of /metrics (Prometheus); 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int metricsPort = 9464;

  @Option(names = "--pause-timeout", paramLabel = "SECONDS", description = "Fail a run when no worker is live for this long (default: ${DEFAULT-VALUE}).")
  long pauseTimeoutSeconds = 600;

  @Option(names = "--answer-timeout", paramLabel = "SECONDS", description = "Take a worker out as hung when it has not answered one command (a micro-batch, a state copy, a prediction chunk) for this long; its share is re-run elsewhere (default: ${DEFAULT-VALUE}).")
  long answerTimeoutSeconds = 600;

  @Option(names = "--workers-to-start", paramLabel = "N", description = "Ready workers needed before a run's first step (default: ${DEFAULT-VALUE}).")
  int workersToStart = 1;

  @Mixin SecurityOptions security;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GrpcSecurity grpcSecurity = security.security();
    Optional<ParsedSpec> parsed = Optional.empty();
    if (config != null) {
      try {
        parsed = Optional.of(SpecLoader.builtIn().load(config));
      } catch (SpecException e) {
        err.println("aevlp coordinator: " + e.getMessage());
        return 2;
      } catch (java.io.IOException e) {
        err.println("aevlp coordinator: cannot read --config " + config + ": " + e.getMessage());
        return 2;
      }
      parsed.get().warnings().forEach(w -> err.println("warning: " + w));
    }
    if (pauseTimeoutSeconds < 1 || workersToStart < 1 || answerTimeoutSeconds < 1) {
      throw new ParameterException(spec.commandLine(),
          "--pause-timeout, --answer-timeout and --workers-to-start must be >= 1");
    }
    ClusterNodes.Discovery mode;
    ClusterNodeConfig node;
    try {
      mode = ClusterNodes.Discovery.parse(discovery);
      List<String> seeds = seedNodes.isEmpty() && mode == ClusterNodes.Discovery.SEED_NODES
          ? List.of(host + ":" + port) : seedNodes;
      node = new ClusterNodeConfig(host, port, seeds, Set.of(ClusterNodeConfig.COORDINATOR_ROLE));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    RunnerSettings settings = RunnerSettings.defaults(Optional.ofNullable(dataDir))
        .withPauseTimeout(Duration.ofSeconds(pauseTimeoutSeconds))
        .withWorkersToStart(workersToStart)
        .withAnswerTimeout(Duration.ofSeconds(answerTimeoutSeconds));
    TelemetrySettings metrics;
    try {
      metrics = TelemetrySettings.forThisHost("coordinator", metricsPort);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--metrics-port: " + e.getMessage());
    }
    Telemetry telemetry;
    try {
      telemetry = Telemetry.start(metrics);
    } catch (java.io.IOException e) {
      err.println("aevlp coordinator: cannot serve /metrics on port " + metricsPort + ": " + e.getMessage());
      return 3;
    }
    try (telemetry) {
      ActorSystem<Void> system;
      try {
        system = ClusterNodes.start(node, mode);
      } catch (RuntimeException e) {
        err.println("aevlp coordinator: cannot start the cluster node on " + host + ":" + port + " (--port): "
            + ClusterNodes.rootCause(e));
        return 3;
      }
      CoordinatorNode coordinator;
      try {
        coordinator = CoordinatorNode.start(system, host, tensorPort, grpcPort, runDir, settings, grpcSecurity,
            telemetry.registry());
      } catch (java.io.IOException e) {
        err.println("aevlp coordinator: " + e.getMessage());
        terminate(system);
        return 3;
      }
      try (coordinator) {
        out.printf(Locale.ROOT, "coordinator on %s:%d; ExperimentService on %s:%d; tensor channel on %s:%d; metrics on "
            + "port %d; runs in %s%n", host, port, host, coordinator.grpcPort(), host, coordinator.tensorPort(),
            telemetry.port(), runDir.toAbsolutePath());
        out.flush();
        if (parsed.isEmpty()) {
          system.getWhenTerminated().toCompletableFuture().get();
          return 0;
        }
        return runConfig(coordinator, parsed.get(), out, err);
      } finally {
        terminate(system);
      }
    }
  }

  /** Submits the --config experiment, prints its progress and returns the exit code of its end. */
  private int runConfig(CoordinatorNode coordinator, ParsedSpec parsed, PrintWriter out, PrintWriter err)
      throws Exception {
    String id = runId != null ? runId : parsed.spec().getName().replaceAll("[^A-Za-z0-9_.-]", "-") + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    CoordinatorNode.Outcome outcome;
    try {
      outcome = coordinator.run(id, parsed.spec(), new ProgressPrinter(out)).get();
    } catch (IllegalArgumentException e) {
      err.println("aevlp coordinator: " + config + ": " + e.getMessage());
      return 2;
    }
    out.printf(Locale.ROOT, "run directory: %s%n", outcome.runDir());
    out.flush();
    return switch (outcome.state()) {
      case COMPLETED -> 0;
      case CANCELLED -> 4;
      default -> 1;
    };
  }

  private static void terminate(ActorSystem<Void> system) throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get();
  }

  /** Prints one line per step, epoch and state change. */
  static final class ProgressPrinter implements RunListener {
    private final PrintWriter out;

    ProgressPrinter(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void onState(RunState state, String message) {
      out.printf(Locale.ROOT, "state %s%s%n", state, message.isEmpty() ? "" : ": " + message);
      out.flush();
    }

    @Override
    public void onStep(StepProgress p) {
      out.printf(Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f workers %d %.1f img/s exchange %.3f s of %.3f s%n",
          p.epoch(), p.numEpochs(), p.step(), p.stepsInEpoch(), p.loss(), p.workers(), p.imagesPerSecond(),
          p.exchangeSeconds(), p.stepSeconds());
      out.flush();
    }

    @Override
    public void onEpoch(EpochRecord r, EpochSampleCount samples) {
      out.printf(Locale.ROOT, "epoch %d done: loss %.4f val mAP %.2f samples %d (distinct %d, max uses %d) re-run %d%s%n",
          r.epoch(), r.trainLoss(), r.valMap(), samples.trained(), samples.distinct(), samples.maxUses(),
          r.microbatchesRerun(), r.best() ? " best" : "");
      out.flush();
    }

    @Override
    public void onCompleted(RunResult result) {
      out.printf(Locale.ROOT, "completed: test mAP %.2f (best epoch %d, val mAP %.2f), %s, %.1f s%n",
          result.testMap(), result.bestEpoch(), result.bestValMap(), result.stopReason(), result.seconds());
      out.flush();
    }

    @Override
    public void onFailed(String reason) {
      out.printf(Locale.ROOT, "failed: %s%n", reason);
      out.flush();
    }
  }
}
