package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.data.FormattedSpmlLoader;
import org.aevlp.common.data.SplitOptions;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStore;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.coordinator.runner.SampleCountLog;
import org.aevlp.labeler.scorer.TinyVlmScorer;
import org.aevlp.labeler.service.LabelerDataset;
import org.aevlp.labeler.service.LabelerServer;
import org.aevlp.labeler.service.LabelerSettings;
import org.aevlp.labeler.vlm.PretrainOptions;
import org.aevlp.labeler.vlm.PretrainProgress;
import org.aevlp.labeler.vlm.PretrainedVlm;
import org.aevlp.worker.actor.NetworkReplicaFactory;
import org.aevlp.worker.actor.WorkerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AEVLP end to end in one JVM: a tiny VLM pretrained on the captioned split, a real labeler gRPC
 * server on loopback serving DAMP pseudo-labels, and coordinator + 2 workers training the GPR loss
 * with pseudo-labels from the VLM's image tower.
 */
class EmbeddedClusterWithLabelerTest {

  @TempDir Path temp;

  @Test
  void gprWithDampPseudoLabelsFromARealLabelerTrainsWellAboveChance() throws Exception {
    Path data = temp.resolve("data");
    new SyntheticDatasetGenerator(2).generate(data, SyntheticSpec.defaults().withCounts(1600, 200, 3000), done -> { });
    Path vlmDir = temp.resolve("vlm");
    PretrainedVlm.loadOrTrain(vlmDir, data.resolve(SyntheticDatasetGenerator.CAPTIONS_DIR),
        PretrainOptions.defaults().withEpochs(12), PretrainProgress.NONE).close();

    LabelerSettings labelerSettings = LabelerSettings.defaults().withBindAddress("127.0.0.1").withPort(0);
    try (LabelerServer labeler = LabelerServer.start(labelerSettings, TinyVlmScorer.load(vlmDir),
            List.of(LabelerDataset.load("synthetic", data)), new SimpleMeterRegistry());
        LoopbackCluster cluster = LoopbackCluster.start(temp.resolve("runs"),
            RunnerSettings.defaults(Optional.empty()).withWorkersToStart(2))) {
      cluster.addLocalWorkers(2, WorkerSettings.of(Optional.empty(), List.of("127.0.0.1:" + labeler.port())),
          new NetworkReplicaFactory("cpu"));
      var spec = ClusterTestData.spec("""
          {"name": "aevlp-embedded", "dataset": "synthetic", "data_dir": "%s", "arch": "tiny-vlm",
           "use_pretrained": true, "pretrained_path": "%s", "image_size": 64, "bsize": 32, "num_epochs": 4,
           "lr": 1e-4, "lr_mult": 10, "loss": "gpr_loss", "use_pl": true, "grid_size": 2,
           "beta": [0, 2, -2, -2], "alpha": [0.5, 2, 0.8, 0.5], "q2q3": [0.01, 1], "lam": [0.7, 0.4],
           "rho": 0.9, "reg": 0.05, "temp": 0.01, "eta": 0.0, "threshold": 0.5, "negative_ratio": 0.2,
           "early_stop": false, "seed": 1200}
          """.formatted(data.toAbsolutePath(), vlmDir.resolve(PretrainedVlm.IMAGE_TOWER_FILE).toAbsolutePath()));

      CoordinatorNode.Outcome outcome =
          cluster.run("aevlp-embedded", spec, RunListener.NONE).get(15, TimeUnit.MINUTES);
      assertEquals(RunState.COMPLETED, outcome.state(), outcome.reason());

      double chance = ClusterTestData.chanceMap(
          FormattedSpmlLoader.load(data, SplitOptions.of(0.2, 1200), OptionalInt.empty()).test());
      double testMap = outcome.result().orElseThrow().testMap();
      List<EpochRecord> epochs = RunStore.open(temp.resolve("runs")).open("aevlp-embedded").readEpochs();
      System.out.printf(Locale.ROOT, "test mAP %.1f (chance %.1f); pseudo-labels per epoch: %s%n", testMap, chance,
          epochs.stream().map(e -> String.format(Locale.ROOT, "P %.1f R %.1f", e.plPrecision(), e.plRecall()))
              .toList());
      assertTrue(testMap > chance + 15, "test mAP " + testMap + " vs chance " + chance);
      for (EpochRecord epoch : epochs) {
        assertTrue(epoch.plPrecision() > 0 && epoch.plRecall() > 0,
            "pseudo-labels reached the loss and were counted: " + epoch);
      }
      for (EpochSampleCount count : SampleCountLog.read(outcome.runDir())) {
        assertTrue(count.exactlyOnce(), count.toString());
      }
    }
  }
}
