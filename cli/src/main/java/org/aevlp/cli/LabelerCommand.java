package org.aevlp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.aevlp.common.telemetry.Telemetry;
import org.aevlp.common.telemetry.TelemetrySettings;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.labeler.service.LabelerDataset;
import org.aevlp.labeler.service.LabelerServer;
import org.aevlp.labeler.service.LabelerSettings;
import org.aevlp.labeler.service.BuiltInScorers;
import org.aevlp.labeler.service.ScorerChoice;
import org.aevlp.labeler.service.ScorerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code aevlp labeler}: runs the DAMP labeler service (DESIGN §2, §6) until interrupted. */
@Command(
    name = "labeler",
    mixinStandardHelpOptions = true,
    subcommands = {LabelerPretrainCommand.class},
    sortOptions = false,
    description = {
      "Run the DAMP labeler service: gRPC LabelerService (+ health, reflection) in front of a pool of "
          + "labeler actors with dynamic batching and a view-embedding cache; Prometheus metrics at /metrics.",
      "Runs until interrupted (Ctrl-C, SIGTERM), then shuts down gracefully.",
      "`aevlp labeler pretrain` trains the built-in tiny VLM the synthetic dataset's labeler uses."
    })
final class LabelerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "P", description = "gRPC port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = 50061;

  @Option(names = "--dataset", paramLabel = "ID", description = "Dataset id (synthetic, pascal, coco, nuswide, cub); required to serve.")
  String dataset;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Dataset directory in the formatted SPML layout; required to serve.")
  Path dataDir;

  @Option(names = "--scorer", paramLabel = "NAME", description = "tiny-vlm or clip-torchscript (default: tiny-vlm for synthetic, else clip-torchscript).")
  String scorer;

  @Option(names = "--vlm-dir", paramLabel = "DIR", description = "Pretrained tiny VLM (for --scorer tiny-vlm; default: DATA_DIR/tiny-vlm, where `aevlp labeler pretrain` writes it).")
  Path vlmDir;

  @Option(names = "--clip-dir", paramLabel = "DIR", description = "Exported CLIP encoders (for --scorer clip-torchscript).")
  Path clipDir;

  @Option(names = "--metrics-port", paramLabel = "P", description = "Port of /metrics; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int metricsPort = 9464;

  @Option(names = "--max-batch", paramLabel = "N", description = "Images per batch at most; 1 turns batching off (default: ${DEFAULT-VALUE}).")
  int maxBatch = LabelerSettings.defaults().maxBatchImages();

  @Option(names = "--max-delay-ms", paramLabel = "N", description = "Longest wait for a batch to fill, ms (default: ${DEFAULT-VALUE}).")
  long maxDelayMs = LabelerSettings.defaults().maxDelay().toMillis();

  @Option(names = "--queue", paramLabel = "N", description = "Requests that may wait; more get RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
  int queue = LabelerSettings.defaults().queueCapacity();

  @Option(names = "--cache-mb", paramLabel = "N", description = "View-embedding cache size in MiB; 0 disables it (default: ${DEFAULT-VALUE}).")
  long cacheMb = LabelerSettings.defaults().cacheBytes() >> 20;

  @Mixin SecurityOptions security;

  @Option(names = "--actors", paramLabel = "N", description = "Labeler actors computing batches in parallel (default: ${DEFAULT-VALUE}).")
  int actors = LabelerSettings.defaults().actors();

  private final ScorerFactory scorers;

  LabelerCommand() {
    this(new BuiltInScorers());
  }

  LabelerCommand(ScorerFactory scorers) {
    this.scorers = scorers;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (dataset == null) {
      throw new ParameterException(spec.commandLine(), "--dataset: required to serve (e.g. --dataset synthetic)");
    }
    if (dataDir == null) {
      throw new ParameterException(spec.commandLine(), "--data-dir: required to serve (e.g. --data-dir data/synthetic)");
    }
    LabelerSettings settings = settings();
    LabelerDataset loaded;
    try {
      loaded = LabelerDataset.load(dataset, dataDir);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--dataset: " + e.getMessage());
    } catch (IOException e) {
      err.println("aevlp labeler: cannot read dataset " + dataset + " from " + dataDir + ": " + e.getMessage());
      return 1;
    }
    String scorerName = scorer != null ? scorer : dataset.equals("synthetic") ? "tiny-vlm" : "clip-torchscript";
    Scorer built;
    try {
      built = scorers.create(new ScorerChoice(
          scorerName, Optional.of(vlmDir != null ? vlmDir : dataDir.resolve("tiny-vlm")), Optional.ofNullable(clipDir),
          loaded.classNames()));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (UnsupportedOperationException e) {
      err.println("aevlp labeler: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("aevlp labeler: cannot load scorer " + scorerName + ": " + e.getMessage());
      return 1;
    }
    try (Scorer running = built;
        Telemetry telemetry = Telemetry.start(TelemetrySettings.of("labeler", instanceName(), metricsPort))) {
      LabelerServer server = LabelerServer.start(settings, running, List.of(loaded), telemetry.registry());
      Thread shutdown = new Thread(server::close, "aevlp-labeler-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdown);
      try {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "aevlp labeler: serving %s (%d training images, %d classes) with scorer %s on port %d;"
                + " metrics on port %d at /metrics%n",
            loaded.id(), loaded.size(), loaded.numClasses(), running.name(), server.port(), telemetry.port());
        out.flush();
        server.awaitTermination();
        return 0;
      } catch (InterruptedException e) {
        // interrupted by whoever runs the command: stop like after a signal
        Thread.currentThread().interrupt();
        return 0;
      } finally {
        // After a signal the hook is closing the server: this waits for it before the scorer closes.
        server.close();
        removeHook(shutdown);
      }
    } catch (IOException e) {
      err.println("aevlp labeler: cannot start: " + e.getMessage());
      return 1;
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down and runs the hook itself
    }
  }

  private LabelerSettings settings() {
    try {
      return LabelerSettings.defaults()
          .withPort(port)
          .withActors(actors)
          .withBatching(maxBatch, Duration.ofMillis(maxDelayMs))
          .withQueueCapacity(queue)
          .withCache(Math.multiplyExact(cacheMb, 1L << 20), true)
          .withSecurity(security.security());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ParameterException(spec.commandLine(), "invalid option: " + e.getMessage());
    }
  }

  private static String instanceName() {
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? "labeler" : host;
  }
}
