package org.aevlp.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.aevlp.coordinator.runner.RunnerSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of commands that run an embedded cluster ({@code demo}, {@code local},
 * {@code compare}): a picocli mixin, and the one place that turns them into a started cluster.
 */
final class EmbeddedClusterOptions {

  @Option(names = "--run-dir", paramLabel = "DIR", description = "Run store root (default: ${DEFAULT-VALUE}).")
  Path runDir = Path.of("runs");

  @Option(names = "--workers", paramLabel = "N", description = "Embedded workers (default: ${DEFAULT-VALUE}).")
  int workers = 2;

  @Option(names = "--threads", paramLabel = "N", description = "PyTorch intra-op threads of this JVM (default: ${DEFAULT-VALUE}).")
  int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  @Option(names = "--grpc-port", paramLabel = "PORT", description = "ExperimentService port (0: any free port; default: ${DEFAULT-VALUE}).")
  int grpcPort = 0;

  @Option(names = "--metrics-port", paramLabel = "PORT", description = "Port of /metrics (0: any free port; default: ${DEFAULT-VALUE}).")
  int metricsPort = 0;

  @Option(names = "--no-progress", description = "Print progress as plain lines instead of redrawing one.")
  boolean noProgress;

  /** Refuses counts below 1, naming the options; sets the PyTorch threads (before any DJL call). */
  void apply(CommandSpec spec) {
    if (workers < 1 || threads < 1) {
      throw new ParameterException(spec.commandLine(), "--workers and --threads must be >= 1");
    }
    DjlThreads.configure(threads);
  }

  boolean progress() {
    return !noProgress;
  }

  /** Starts the embedded cluster (with the labeler, if any); training starts when all workers are ready. */
  EmbeddedCluster start(Optional<EmbeddedCluster.LabelerPart> labeler) throws IOException {
    return EmbeddedCluster.start(runDir, RunnerSettings.defaults(Optional.empty()).withWorkersToStart(workers),
        workers, labeler, grpcPort, metricsPort);
  }
}
