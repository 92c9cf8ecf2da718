package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStore;
import org.aevlp.common.runs.StoredRun;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.SampleCountLog;
import org.aevlp.labeler.vlm.PretrainOptions;
import org.aevlp.labeler.vlm.PretrainProgress;
import org.aevlp.labeler.vlm.PretrainedVlm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labeler killed (SIGKILL) in the middle of an epoch and started again, across processes:
 * coordinator, labeler and two workers as JVMs on loopback, training the GPR loss with DAMP
 * pseudo-labels. While the labeler is gone the workers retry with backoff and the step waits: no
 * micro-batch trains without its pseudo-labels. The run completes with every sample once per
 * epoch and pseudo-labels counted in every epoch (a low DAMP threshold, since the test's VLM is
 * barely trained: some pseudo-positives must be predicted for precision and recall to count).
 */
class KilledLabelerProcessTest {

  static final int EPOCHS = 2;
  static final long LABELER_DOWN_MILLIS = 5_000;

  @TempDir Path temp;
  private final List<ChildJvm> children = new ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(ChildJvm::close);
  }

  private ChildJvm start(List<String> args, String log) throws Exception {
    ChildJvm jvm = ChildJvm.start(args, 1, temp.resolve(log));
    children.add(jvm);
    return jvm;
  }

  @Test
  void aKilledAndRestartedLabelerDelaysTrainingButLosesNothing() throws Exception {
    // 1-4 objects per image (the cluster tests' data has one, which leaves nothing to pseudo-label)
    Path data = temp.resolve("data");
    new SyntheticDatasetGenerator(2).generate(data, SyntheticSpec.defaults().withCounts(600, 100, 512), n -> { });
    Path vlm = temp.resolve("vlm");
    PretrainedVlm.loadOrTrain(vlm, data.resolve(SyntheticDatasetGenerator.CAPTIONS_DIR),
        PretrainOptions.defaults().withEpochs(3).withBatchSize(64), PretrainProgress.NONE).close();
    Path specFile = temp.resolve("spec.json");
    Files.writeString(specFile, """
        {"name": "labeler-kill", "dataset": "synthetic", "data_dir": "%s", "arch": "resnet18-narrow",
         "use_pretrained": false, "image_size": 64, "bsize": 16, "num_epochs": %d, "lr": 1e-3, "lr_mult": 1,
         "loss": "gpr_loss", "use_pl": true, "grid_size": 2, "threshold": 0.1, "early_stop": false,
         "seed": 1200}
        """.formatted(data.toAbsolutePath(), EPOCHS));

    int port = LoopbackCluster.freePort();
    int labelerPort = LoopbackCluster.freePort();
    Path runs = temp.resolve("runs");
    List<String> labelerArgs = List.of("labeler", "--dataset", "synthetic", "--data-dir", data.toString(),
        "--vlm-dir", vlm.toString(), "--port", Integer.toString(labelerPort), "--metrics-port", "0");
    ChildJvm labeler = start(labelerArgs, "labeler-1.log");
    ClusterTestData.awaitLine(labeler, "serving synthetic", 120);
    ChildJvm coordinator = start(List.of("coordinator", "--config", specFile.toString(), "--run-dir",
        runs.toString(), "--run-id", "labeler-kill", "--port", Integer.toString(port), "--grpc-port", "0",
        "--tensor-port", "0", "--metrics-port", "0", "--pause-timeout", "120", "--workers-to-start", "2"),
        "coordinator.log");
    List<String> worker = List.of("worker", "--seed-nodes", "127.0.0.1:" + port, "--threads", "1",
        "--decoder-threads", "1", "--metrics-port", "0", "--labeler", "127.0.0.1:" + labelerPort);
    start(worker, "worker-1.log");
    start(worker, "worker-2.log");

    ClusterTestData.awaitLine(coordinator, "epoch 1/" + EPOCHS + " step 10/", 300);
    labeler.kill();
    LocalTime killedAt = LocalTime.now();
    Thread.sleep(LABELER_DOWN_MILLIS);
    ChildJvm restarted = start(labelerArgs, "labeler-2.log");
    ClusterTestData.awaitLine(restarted, "serving synthetic", 120);
    LocalTime backAt = LocalTime.now();

    int exit = coordinator.waitFor(600);
    String log = Files.readString(coordinator.log());
    assertEquals(0, exit, "coordinator exit code; its log:\n" + log);
    StoredRun run = RunStore.open(runs).load("labeler-kill").orElseThrow();
    assertEquals(RunState.COMPLETED, run.status().state());
    List<EpochSampleCount> counts = SampleCountLog.read(runs.resolve("labeler-kill"));
    assertEquals(EPOCHS, counts.size());
    for (EpochSampleCount count : counts) {
      assertTrue(count.exactlyOnce() && count.trained() == 480, count + "\n" + log);
    }
    for (EpochRecord epoch : run.epochs()) {
      assertTrue(epoch.plPrecision() > 0 && epoch.plRecall() > 0, "pseudo-labels reached the loss: " + epoch);
      assertEquals(2, epoch.workers(), "no worker was lost to the labeler's absence: " + epoch);
    }
    String retries = String.join("", Files.readAllLines(temp.resolve("worker-1.log")))
        + String.join("", Files.readAllLines(temp.resolve("worker-2.log")));
    assertTrue(retries.contains("the step waits") && retries.contains("answered after"),
        "the workers retried while the labeler was gone and went on when it was back");
    double killedMap = run.result().orElseThrow().testMap();
    double uninterrupted = ClusterTestData.uninterruptedMapWithLabeler(temp.resolve("reference-runs"),
        Files.readString(specFile), data, vlm);
    System.out.printf("labeler down %.1f s (kill to serving again); run completed, test mAP %.2f, uninterrupted"
        + " %.2f%n", Duration.between(killedAt, backAt).toMillis() / 1e3, killedMap, uninterrupted);
    // nothing trains without its pseudo-labels, so only float summation order may differ
    assertEquals(uninterrupted, killedMap, KilledWorkerProcessTest.MAP_TOLERANCE);
  }
}
