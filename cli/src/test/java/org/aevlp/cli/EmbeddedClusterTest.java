package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.data.FormattedSpmlLoader;
import org.aevlp.common.data.SplitOptions;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunDirectory;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStore;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.coordinator.runner.SampleCountLog;
import org.aevlp.worker.actor.NetworkReplicaFactory;
import org.aevlp.worker.actor.WorkerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded cluster (coordinator + 2 workers in one JVM, one actor system) trains on the
 * synthetic data with the tensors going over real gRPC on loopback, and learns.
 */
class EmbeddedClusterTest {

  @TempDir Path temp;

  @Test
  void twoEmbeddedWorkersTrainWellAboveChanceOverTheGrpcTensorChannel() throws Exception {
    Path data = ClusterTestData.dataset(temp.resolve("data"));
    var spec = ClusterTestData.spec(ClusterTestData.specJson(data, 5, ""));
    try (LoopbackCluster cluster = LoopbackCluster.start(temp.resolve("runs"),
        RunnerSettings.defaults(Optional.empty()).withWorkersToStart(2))) {
      cluster.addLocalWorkers(2, WorkerSettings.of(Optional.empty(), List.of()).withForceGrpcTensors(true),
          new NetworkReplicaFactory("cpu"));
      CoordinatorNode.Outcome outcome = cluster.run("embedded", spec, RunListener.NONE).get(10, TimeUnit.MINUTES);
      assertEquals(RunState.COMPLETED, outcome.state(), outcome.reason());

      double chance = ClusterTestData.chanceMap(
          FormattedSpmlLoader.load(data, SplitOptions.of(0.2, 1200), OptionalInt.empty()).test());
      double testMap = outcome.result().orElseThrow().testMap();
      assertTrue(testMap > chance + 15, "test mAP " + testMap + " vs chance " + chance);

      RunDirectory run = RunStore.open(temp.resolve("runs")).open("embedded");
      List<EpochRecord> epochs = run.readEpochs();
      assertEquals(5, epochs.size());
      assertTrue(epochs.stream().allMatch(e -> e.workers() == 2), epochs.toString());
      for (EpochSampleCount count : SampleCountLog.read(outcome.runDir())) {
        assertEquals(480, count.planned());
        assertTrue(count.exactlyOnce(), count.toString());
      }
      assertTrue(epochs.get(4).trainLoss() < epochs.get(0).trainLoss(), epochs.toString());
    }
  }
}
