package org.aevlp.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.aevlp.common.telemetry.Telemetry;
import org.aevlp.common.telemetry.TelemetrySettings;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.labeler.service.LabelerDataset;
import org.aevlp.labeler.service.LabelerServer;
import org.aevlp.labeler.service.LabelerSettings;
import org.aevlp.worker.actor.NetworkReplicaFactory;
import org.aevlp.worker.actor.WorkerSettings;

/**
 * Every role in this JVM, wired as a real cluster on loopback: the coordinator (manager +
 * ExperimentService), local workers, optionally a labeler serving pseudo-labels over gRPC, and one
 * {@code /metrics} endpoint. What {@code aevlp demo} and {@code aevlp local} run.
 */
final class EmbeddedCluster implements AutoCloseable {

  /** The labeler to start: its scorer (closed with the cluster) and dataset. */
  record LabelerPart(Scorer scorer, LabelerDataset dataset) {}

  private final Telemetry telemetry;
  private final LoopbackCluster cluster;
  private final Optional<LabelerServer> labeler;
  private final Optional<Scorer> scorer;

  private EmbeddedCluster(Telemetry telemetry, LoopbackCluster cluster, Optional<LabelerServer> labeler,
      Optional<Scorer> scorer) {
    this.telemetry = telemetry;
    this.cluster = cluster;
    this.labeler = labeler;
    this.scorer = scorer;
  }

  /**
   * Starts everything; on failure, what was started is stopped again.
   *
   * @param grpcPort ExperimentService port (0: a free one)
   * @param metricsPort {@code /metrics} port (0: a free one)
   * @throws IOException when a port is in use (the message names it) or the run store cannot be
   *     opened
   */
  static EmbeddedCluster start(Path runRoot, RunnerSettings settings, int workers, Optional<LabelerPart> labelerPart,
      int grpcPort, int metricsPort) throws IOException {
    Telemetry telemetry = null;
    LoopbackCluster cluster = null;
    try {
      telemetry = Telemetry.start(TelemetrySettings.of("embedded", "embedded", metricsPort));
      cluster = LoopbackCluster.start(runRoot, settings, grpcPort, telemetry.registry());
      Optional<LabelerServer> labeler = Optional.empty();
      if (labelerPart.isPresent()) {
        labeler = Optional.of(LabelerServer.start(LabelerSettings.defaults().withBindAddress("127.0.0.1").withPort(0),
            labelerPart.get().scorer(), List.of(labelerPart.get().dataset()), telemetry.registry(),
            cluster.system()));
      }
      List<String> labelerAddresses = labeler.map(l -> List.of("127.0.0.1:" + l.port())).orElse(List.of());
      cluster.addLocalWorkers(workers, WorkerSettings.of(Optional.empty(), labelerAddresses),
          new NetworkReplicaFactory("auto"));
      return new EmbeddedCluster(telemetry, cluster, labeler, labelerPart.map(LabelerPart::scorer));
    } catch (IOException | RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      }
      if (telemetry != null) {
        telemetry.close();
      }
      labelerPart.ifPresent(p -> p.scorer().close());
      throw e;
    }
  }

  /** {@code 127.0.0.1:port} of the ExperimentService. */
  String coordinatorTarget() {
    return "127.0.0.1:" + cluster.coordinator().grpcPort();
  }

  /** Port of the labeler's gRPC server, when one runs. */
  Optional<Integer> labelerPort() {
    return labeler.map(LabelerServer::port);
  }

  int metricsPort() {
    return telemetry.port();
  }

  @Override
  public void close() {
    labeler.ifPresent(LabelerServer::close);
    cluster.close();
    scorer.ifPresent(Scorer::close);
    telemetry.close();
  }
}
