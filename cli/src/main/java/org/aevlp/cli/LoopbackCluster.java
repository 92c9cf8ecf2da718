package org.aevlp.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aevlp.common.cluster.ClusterNodeConfig;
import org.aevlp.common.cluster.WorkerProtocol;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.worker.actor.ReplicaFactory;
import org.aevlp.worker.actor.WorkerSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * A cluster on loopback with the coordinator in this JVM: workers in this JVM (embedded), or in
 * child JVMs that join through this node as seed. Used by the cluster benchmarks and tests.
 */
public final class LoopbackCluster implements AutoCloseable {

  private final ActorSystem<Void> system;
  private final CoordinatorNode coordinator;
  private final int port;
  private final List<ChildJvm> children = new ArrayList<>();
  private int localWorkers;

  private LoopbackCluster(ActorSystem<Void> system, CoordinatorNode coordinator, int port) {
    this.system = system;
    this.coordinator = coordinator;
    this.port = port;
  }

  /** Starts the coordinator node (roles coordinator and worker, so embedded workers can join it). */
  public static LoopbackCluster start(Path runRoot, RunnerSettings settings) throws IOException {
    return start(runRoot, settings, 0, new CompositeMeterRegistry());
  }

  /**
   * As {@link #start(Path, RunnerSettings)}, with the ExperimentService on {@code grpcPort} (0: a
   * free port) and runs recording their training meters on {@code registry}.
   */
  public static LoopbackCluster start(Path runRoot, RunnerSettings settings, int grpcPort, MeterRegistry registry)
      throws IOException {
    int port = freePort();
    ClusterNodeConfig node = new ClusterNodeConfig("127.0.0.1", port, List.of("127.0.0.1:" + port),
        Set.of(ClusterNodeConfig.COORDINATOR_ROLE, ClusterNodeConfig.WORKER_ROLE));
    ActorSystem<Void> system = ClusterNodes.start(node, ClusterNodes.Discovery.SEED_NODES);
    try {
      return new LoopbackCluster(system,
          CoordinatorNode.start(system, "127.0.0.1", 0, grpcPort, runRoot, settings,
              GrpcSecurity.none(), registry), port);
    } catch (IOException | RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  /** The seed address child workers join: {@code 127.0.0.1:port}. */
  public String seedNode() {
    return "127.0.0.1:" + port;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** The coordinator node (ExperimentService port, manager). */
  public CoordinatorNode coordinator() {
    return coordinator;
  }

  /** Spawns workers in this JVM. */
  public void addLocalWorkers(int count, WorkerSettings settings, ReplicaFactory replicas) {
    WorkerNode.spawn(system, localWorkers + 1, count, settings, replicas);
    localWorkers += count;
  }

  /**
   * Starts a worker JVM with {@code threads} intra-op threads, logging to {@code log}; its metrics
   * endpoint takes a free port (several share this host).
   */
  public ChildJvm addWorkerProcess(Path dataDir, int threads, Path log) throws IOException {
    ChildJvm child = ChildJvm.start(List.of("worker", "--seed-nodes", seedNode(), "--data-dir", dataDir.toString(),
        "--threads", Integer.toString(threads), "--decoder-threads", "1", "--metrics-port", "0"), threads, log);
    children.add(child);
    return child;
  }

  /** Submits a validated spec; completes when the run ends. */
  public CompletableFuture<CoordinatorNode.Outcome> run(String runId, ExperimentSpec spec, RunListener listener) {
    return coordinator.run(runId, spec, listener);
  }

  /** Workers currently registered with the Receptionist. */
  public int workerCount() throws InterruptedException {
    try {
      Receptionist.Listing listing = AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
          replyTo -> Receptionist.find(WorkerProtocol.WORKER_SERVICE, replyTo), Duration.ofSeconds(5),
          system.scheduler()).toCompletableFuture().get();
      return listing.getServiceInstances(WorkerProtocol.WORKER_SERVICE).size();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the Receptionist did not answer", e.getCause());
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (ChildJvm child : children) {
      child.close();
    }
    coordinator.close();
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the coordinator's actor system did not terminate cleanly", e);
    }
  }
}
