package org.aevlp.cli;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aevlp.common.cluster.ClusterNodeConfig;
import org.aevlp.common.telemetry.Telemetry;
import org.aevlp.common.telemetry.TelemetrySettings;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.labeler.service.LabelerDataset;
import org.aevlp.labeler.service.LabelerEndpointActor;
import org.aevlp.labeler.service.LabelerPool;
import org.aevlp.labeler.service.LabelerServer;
import org.aevlp.labeler.service.LabelerSettings;
import org.aevlp.labeler.service.BuiltInScorers;
import org.aevlp.labeler.service.ScorerChoice;
import org.aevlp.labeler.service.ScorerFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
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
      "With --seed-nodes (or --discovery kubernetes) it also joins the Pekko cluster as role labeler and registers "
          + "its gRPC endpoint (--host:--port) with the Receptionist: workers started without --labeler find it "
          + "there. Like a worker, a labeler in a cluster stops when the coordinator leaves (or it is cut off from "
          + "it and downed): the process exits with 0 and its supervisor restarts it to join the next cluster. "
          + "Without those options it is a standalone server that workers reach with --labeler.",
      "`aevlp labeler pretrain` trains the built-in tiny VLM the synthetic dataset's labeler uses."
    })
final class LabelerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "P", description = "gRPC port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = 50061;

  @Option(names = "--seed-nodes", split = ",", paramLabel = "HOST:PORT", description = "Join the cluster through these seed nodes (e.g. the coordinator's --host:--port) as role labeler.")
  List<String> seedNodes = new ArrayList<>();

  @Option(names = "--discovery", paramLabel = "MODE", description = "seed-nodes (joins only with --seed-nodes) or kubernetes (Cluster Bootstrap; default: ${DEFAULT-VALUE}).")
  String discovery = "seed-nodes";

  @Option(names = "--host", paramLabel = "HOST", description = "Address other nodes reach this one at, for the cluster and, with --port, the gRPC endpoint workers discover (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--cluster-port", paramLabel = "PORT", description = "Cluster (remoting) port when joining a cluster (0: any free port; default: ${DEFAULT-VALUE}).")
  int clusterPort = 0;

  @Option(names = "--dataset", paramLabel = "ID", description = "Dataset id (synthetic, pascal, coco, nuswide, cub); required to serve.")
  String dataset;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Dataset directory in the formatted SPML layout; required to serve.")
  Path dataDir;

  @Option(names = "--relation", paramLabel = "FILE", description = "Label-relation matrix (.npy, C x C) for the GCN text refinement (use_refinement), e.g. from `aevlp dataset relation` (default: the one the dataset ships; synthetic ships none).")
  Path relation;

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
    Optional<ClusterMembership> membership = membership();
    LabelerDataset loaded;
    try {
      loaded = LabelerDataset.load(dataset, dataDir, Optional.ofNullable(relation));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--dataset: " + e.getMessage());
    } catch (IOException e) {
      err.println("aevlp labeler: cannot read dataset " + dataset + " from " + dataDir
          + (relation == null ? "" : " with relation matrix " + relation + " (--relation)") + ": " + e.getMessage());
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
      ActorSystem<Void> system = null;
      if (membership.isPresent()) {
        try {
          system = ClusterNodes.start(membership.get().node(), membership.get().mode(), ConfigFactory.parseString(
              LabelerPool.DISPATCHER + ".thread-pool-executor.fixed-pool-size = " + settings.actors()));
        } catch (RuntimeException e) {
          err.println("aevlp labeler: cannot start the cluster node on " + host + ":" + clusterPort
              + " (--cluster-port): " + ClusterNodes.rootCause(e));
          return 1;
        }
      }
      try {
        return serve(settings, running, loaded, telemetry, system);
      } finally {
        if (system != null) {
          system.terminate();
          system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      err.println("aevlp labeler: cannot start: " + e.getMessage());
      return 1;
    } catch (ExecutionException | TimeoutException e) {
      err.println("aevlp labeler: the cluster node did not stop cleanly: " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /**
   * Serves until interrupted or, in a cluster, until the node stops ({@link CoordinatorWatch}, or
   * downed by the split-brain resolver); {@code system} null: standalone.
   */
  private int serve(LabelerSettings settings, Scorer scorer, LabelerDataset loaded, Telemetry telemetry,
      ActorSystem<Void> system) throws IOException {
    LabelerServer server = system == null
        ? LabelerServer.start(settings, scorer, List.of(loaded), telemetry.registry())
        : LabelerServer.start(settings, scorer, List.of(loaded), telemetry.registry(), system);
    Thread shutdown = new Thread(server::close, "aevlp-labeler-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    try {
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "aevlp labeler: serving %s (%d training images, %d classes) with scorer %s on port %d;"
              + " metrics on port %d at /metrics%n",
          loaded.id(), loaded.size(), loaded.numClasses(), scorer.name(), server.port(), telemetry.port());
      if (system != null) {
        system.systemActorOf(LabelerEndpointActor.create(host, server.port()), "labeler-endpoint", Props.empty());
        system.systemActorOf(CoordinatorWatch.create(), "coordinator-watch", Props.empty());
        system.getWhenTerminated().thenRun(server::close);
        out.printf(Locale.ROOT, "aevlp labeler: joined the cluster via %s as role %s; workers discover %s:%d%n",
            seedNodes.isEmpty() ? discovery : String.join(",", seedNodes), ClusterNodeConfig.LABELER_ROLE, host,
            server.port());
      }
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
  }

  /** How the labeler joins a cluster, or empty when it runs standalone. */
  private record ClusterMembership(ClusterNodeConfig node, ClusterNodes.Discovery mode) {}

  private Optional<ClusterMembership> membership() {
    try {
      ClusterNodes.Discovery mode = ClusterNodes.Discovery.parse(discovery);
      if (seedNodes.isEmpty() && mode == ClusterNodes.Discovery.SEED_NODES) {
        return Optional.empty();
      }
      return Optional.of(new ClusterMembership(
          new ClusterNodeConfig(host, clusterPort, seedNodes, Set.of(ClusterNodeConfig.LABELER_ROLE)), mode));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
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
