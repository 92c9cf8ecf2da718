package org.aevlp.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.aevlp.common.cluster.ClusterNodeConfig;
import org.aevlp.common.grpc.GrpcChannels;
import org.aevlp.common.telemetry.Telemetry;
import org.aevlp.common.telemetry.TelemetrySettings;
import org.aevlp.worker.actor.NetworkReplicaFactory;
import org.aevlp.worker.actor.WorkerSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code aevlp worker}: a training worker process; runs until its cluster goes away or it is stopped. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a training worker: join the cluster, register with the coordinator's runners and train replicas.",
      "The worker stops when the coordinator leaves the cluster (run it under a supervisor to rejoin the next one).",
      "Exit codes: 0 after the cluster ended, 2 bad arguments."
    })
final class WorkerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--seed-nodes", split = ",", paramLabel = "HOST:PORT", description = "Seed nodes, e.g. the coordinator's --host:--port (required with --discovery seed-nodes).")
  List<String> seedNodes = new ArrayList<>();

  @Option(names = "--discovery", paramLabel = "MODE", description = "seed-nodes or kubernetes (Cluster Bootstrap; default: ${DEFAULT-VALUE}).")
  String discovery = "seed-nodes";

  @Option(names = "--host", paramLabel = "HOST", description = "Address other nodes reach this one at (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "PORT", description = "Cluster (remoting) port (0: any free port; default: ${DEFAULT-VALUE}).")
  int port = 0;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where this worker finds datasets (default: the spec's data_dir).")
  Path dataDir;

  @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads of the DJL engine (default: the engine's choice).")
  Integer threads;

  @Option(names = "--labeler", split = ",", paramLabel = "TARGET", description = "Labelers for pseudo-labels, used round-robin: host:port, or a gRPC target such as dns:///aevlp-labeler:50061 (round-robin over every address the name resolves to). Default: the labelers that joined the cluster (aevlp labeler --seed-nodes ...), found through the Receptionist and followed as they come and go; an experiment with pseudo-labels is refused when none has joined within 20 s.")
  List<String> labelers = new ArrayList<>();

  @Option(names = "--device", paramLabel = "NAME", description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device = "auto";

  @Option(names = "--decoder-threads", paramLabel = "N", description = "Image decoding threads (default: ${DEFAULT-VALUE}).")
  int decoderThreads = 2;

  @Option(names = "--metrics-port", paramLabel = "P", description = "Port of /metrics (Prometheus); 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int metricsPort = 9464;

  @Mixin SecurityOptions security;

  @Option(names = "--force-grpc-tensors", hidden = true, description = "Use the gRPC tensor channel even in the coordinator's JVM.")
  boolean forceGrpcTensors;

  @Override
  public Integer call() throws Exception {
    ClusterNodes.Discovery mode;
    ClusterNodeConfig node;
    try {
      mode = ClusterNodes.Discovery.parse(discovery);
      if (mode == ClusterNodes.Discovery.SEED_NODES && seedNodes.isEmpty()) {
        throw new IllegalArgumentException("--seed-nodes: required (e.g. the coordinator's 127.0.0.1:2551)");
      }
      node = new ClusterNodeConfig(host, port, seedNodes, Set.of(ClusterNodeConfig.WORKER_ROLE));
      labelers.forEach(labeler -> GrpcChannels.requireTarget("--labeler", labeler));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (threads != null) {
      if (threads < 1) {
        throw new ParameterException(spec.commandLine(), "--threads must be >= 1");
      }
      // read by the PyTorch engine when it loads, i.e. at the first experiment
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    TelemetrySettings metrics;
    try {
      metrics = TelemetrySettings.forThisHost("worker", metricsPort);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--metrics-port: " + e.getMessage());
    }
    try (Telemetry telemetry = Telemetry.start(metrics)) {
      WorkerSettings settings = WorkerSettings.of(Optional.ofNullable(dataDir), labelers)
          .withDecoderThreads(decoderThreads)
          .withForceGrpcTensors(forceGrpcTensors)
          .withMeterRegistry(telemetry.registry())
          .withSecurity(security.security());
      ActorSystem<Void> system = ClusterNodes.start(node, mode);
      WorkerNode.spawn(system, 1, 1, settings, new NetworkReplicaFactory(device));
      system.systemActorOf(CoordinatorWatch.create(), "coordinator-watch", Props.empty());
      spec.commandLine().getOut().printf(Locale.ROOT, "worker joined via %s; metrics on port %d at /metrics%n",
          seedNodes.isEmpty() ? mode : String.join(",", seedNodes), telemetry.port());
      spec.commandLine().getOut().flush();
      system.getWhenTerminated().toCompletableFuture().get();
      return 0;
    }
  }
}
