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
import io.micrometer.core.instrument.Metrics;
import org.aevlp.common.cluster.ClusterNodeConfig;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunResult;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.spec.ParsedSpec;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.ExperimentRunner;
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
 * {@code aevlp coordinator}: the coordinator process of a cluster. Until the ExperimentService
 * arrives it runs the one experiment given by {@code --config} over whatever workers join, prints
 * progress, and exits 0 when it completes (1 when it fails).
 */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the coordinator of a training cluster: host the tensor channel and run the experiment of --config "
          + "over the workers that join (aevlp worker --seed-nodes HOST:PORT).",
      "Exit codes: 0 completed, 1 failed, 2 bad arguments or spec."
    })
final class CoordinatorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Experiment spec (JSON, reference keys).")
  Path config;

  @Option(names = "--run-dir", required = true, paramLabel = "DIR", description = "Run store root; the run is written to DIR/RUN_ID.")
  Path runDir;

  @Option(names = "--run-id", paramLabel = "ID", description = "Run id (default: <spec name>-<timestamp>).")
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

  @Option(names = "--tensor-port", paramLabel = "PORT", description = "TensorChannel gRPC port (0: any free port; default: ${DEFAULT-VALUE}).")
  int tensorPort = 7070;

  @Option(names = "--pause-timeout", paramLabel = "SECONDS", description = "Fail when no worker is live for this long (default: ${DEFAULT-VALUE}).")
  long pauseTimeoutSeconds = 600;

  @Option(names = "--workers-to-start", paramLabel = "N", description = "Ready workers needed before the first step (default: ${DEFAULT-VALUE}).")
  int workersToStart = 1;

  @Mixin SecurityOptions security;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    GrpcSecurity grpcSecurity = security.security();
    ParsedSpec parsed;
    try {
      parsed = SpecLoader.builtIn().load(config);
    } catch (SpecException e) {
      spec.commandLine().getErr().println("aevlp coordinator: " + e.getMessage());
      return 2;
    }
    parsed.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    try {
      ExperimentRunner.requireSupported(parsed.spec());
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("aevlp coordinator: " + config + ": " + e.getMessage());
      return 2;
    }
    if (pauseTimeoutSeconds < 1 || workersToStart < 1) {
      throw new ParameterException(spec.commandLine(), "--pause-timeout and --workers-to-start must be >= 1");
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
    String id = runId != null ? runId : parsed.spec().getName().replaceAll("[^A-Za-z0-9_.-]", "-") + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    RunnerSettings settings = RunnerSettings.defaults(Optional.ofNullable(dataDir))
        .withPauseTimeout(Duration.ofSeconds(pauseTimeoutSeconds))
        .withWorkersToStart(workersToStart);
    ActorSystem<Void> system = ClusterNodes.start(node, mode);
    try (CoordinatorNode coordinator = CoordinatorNode.start(system, host, tensorPort, runDir, settings,
        grpcSecurity, Metrics.globalRegistry)) {
      out.printf(Locale.ROOT, "coordinator on %s:%d, tensor channel on %s:%d, run %s%n", host, port, host,
          coordinator.tensorPort(), id);
      out.flush();
      CoordinatorNode.Outcome outcome = coordinator.run(id, parsed.spec(), new ProgressPrinter(out)).get();
      out.printf(Locale.ROOT, "run directory: %s%n", outcome.runDir());
      out.flush();
      return outcome.state() == RunState.COMPLETED ? 0 : 1;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get();
    }
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
