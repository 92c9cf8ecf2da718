package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.cluster.ClusterNodeConfig;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStore;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.coordinator.runner.SampleCountLog;
import org.aevlp.labeler.scorer.TinyVlmScorer;
import org.aevlp.labeler.service.LabelerDataset;
import org.aevlp.labeler.service.LabelerEndpointActor;
import org.aevlp.labeler.service.LabelerPool;
import org.aevlp.labeler.service.LabelerServer;
import org.aevlp.labeler.service.LabelerSettings;
import org.aevlp.worker.actor.NetworkReplicaFactory;
import org.aevlp.worker.actor.WorkerSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labeler discovery through the cluster (DESIGN §2), in one JVM but across two cluster nodes, so
 * the discovery messages really cross Artery with the protobuf serializer: a labeler node (role
 * labeler, its actors in the node's system, a real LabelerServer on loopback) registers its gRPC
 * endpoint with the Receptionist; workers started without labeler addresses find it and train the
 * GPR loss with its pseudo-labels.
 */
class LabelerDiscoveryClusterTest {

  @TempDir Path temp;

  @Test
  void workersWithoutLabelerAddressesFindTheLabelerNodeAndTrainOnItsPseudoLabels() throws Exception {
    long start = System.nanoTime();
    Path data = ClusterTestData.plDataset(temp.resolve("data"));
    Path vlm = ClusterTestData.tinyVlm(data, temp.resolve("vlm"));
    double preparedSeconds = (System.nanoTime() - start) / 1e9;
    try (LoopbackCluster cluster = LoopbackCluster.start(temp.resolve("runs"),
        RunnerSettings.defaults(Optional.empty()).withWorkersToStart(2))) {
      ActorSystem<Void> labelerNode = ClusterNodes.start(
          new ClusterNodeConfig("127.0.0.1", 0, List.of(cluster.seedNode()), Set.of(ClusterNodeConfig.LABELER_ROLE)),
          ClusterNodes.Discovery.SEED_NODES,
          ConfigFactory.parseString(LabelerPool.DISPATCHER + ".thread-pool-executor.fixed-pool-size = 1"));
      try (LabelerServer labeler = LabelerServer.start(
          LabelerSettings.defaults().withBindAddress("127.0.0.1").withPort(0).withActors(1),
          TinyVlmScorer.load(vlm), List.of(LabelerDataset.load("synthetic", data)), new SimpleMeterRegistry(),
          labelerNode)) {
        labelerNode.systemActorOf(LabelerEndpointActor.create("127.0.0.1", labeler.port()), "labeler-endpoint",
            Props.empty());
        cluster.addLocalWorkers(2, WorkerSettings.of(Optional.empty(), List.of()), new NetworkReplicaFactory("cpu"));

        CoordinatorNode.Outcome outcome = cluster.run("discovered",
            ClusterTestData.spec(ClusterTestData.pseudoLabelSpecJson(data, vlm, 1)), RunListener.NONE)
            .get(10, TimeUnit.MINUTES);
        assertEquals(RunState.COMPLETED, outcome.state(), outcome.reason());
        assertTrue(labeler.batcher().batchCount() > 0, "the discovered labeler computed the pseudo-labels");
        List<EpochRecord> epochs = RunStore.open(temp.resolve("runs")).open("discovered").readEpochs();
        System.out.printf(Locale.ROOT, "pseudo-labels from the discovered labeler: %s; labeler batches %d;"
                + " data + VLM %.0f s, run %.0f s%n",
            epochs.stream().map(e -> String.format(Locale.ROOT, "P %.1f R %.1f", e.plPrecision(), e.plRecall()))
                .toList(), labeler.batcher().batchCount(), preparedSeconds,
            (System.nanoTime() - start) / 1e9 - preparedSeconds);
        for (EpochRecord epoch : epochs) {
          assertTrue(epoch.plPrecision() > 0 && epoch.plRecall() > 0, "pseudo-labels reached the loss: " + epoch);
        }
        for (EpochSampleCount count : SampleCountLog.read(outcome.runDir())) {
          assertTrue(count.exactlyOnce(), count.toString());
        }
      } finally {
        labelerNode.terminate();
        labelerNode.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void withoutAnyLabelerARunWithPseudoLabelsFailsNamingTheMissingLabeler() throws Exception {
    Path data = ClusterTestData.plDataset(temp.resolve("data"));
    try (LoopbackCluster cluster = LoopbackCluster.start(temp.resolve("runs"),
        RunnerSettings.defaults(Optional.empty()).withWorkersToStart(1).withPauseTimeout(Duration.ofSeconds(2)))) {
      cluster.addLocalWorkers(1, WorkerSettings.of(Optional.empty(), List.of())
          .withLabelerDiscoveryWait(Duration.ofSeconds(1)), new NetworkReplicaFactory("cpu"));
      CoordinatorNode.Outcome outcome = cluster.run("no-labeler", ClusterTestData.spec("""
          {"dataset": "synthetic", "data_dir": "%s", "arch": "resnet18-narrow", "use_pretrained": false,
           "image_size": 32, "bsize": 16, "num_epochs": 1, "loss": "gpr_loss", "use_pl": true, "seed": 3}
          """.formatted(data.toAbsolutePath())), RunListener.NONE).get(5, TimeUnit.MINUTES);
      assertEquals(RunState.FAILED, outcome.state(), outcome.reason());
      assertTrue(outcome.reason().contains("no labeler is known"), outcome.reason());
    }
  }
}
