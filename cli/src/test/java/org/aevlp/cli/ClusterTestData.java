package org.aevlp.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.common.runs.RunResult;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.labeler.scorer.TinyVlmScorer;
import org.aevlp.labeler.service.LabelerDataset;
import org.aevlp.labeler.service.LabelerServer;
import org.aevlp.labeler.service.LabelerSettings;
import org.aevlp.labeler.vlm.PretrainOptions;
import org.aevlp.labeler.vlm.PretrainProgress;
import org.aevlp.labeler.vlm.PretrainedVlm;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.worker.actor.NetworkReplicaFactory;
import org.aevlp.worker.actor.WorkerSettings;

/** The small synthetic dataset and specs the cluster tests train on (seconds per epoch on 2 cores). */
final class ClusterTestData {

  /**
   * 600 train+val images (480 train / 120 val) and 200 test images at 64 px, 10 classes; one large
   * object per image on a quiet background, so that a few epochs from scratch learn visibly.
   */
  static final SyntheticSpec DATA = new SyntheticSpec(7, 600, 200, 0, 64, 10, 1, 1, 0.45, 0.65, 0.05, 0);

  /**
   * For runs with pseudo-labels: like {@link #DATA} but with one to three objects per image (so there
   * are unobserved positives for pseudo-labels to find, and recall is defined) and 512 captioned
   * images to pretrain the labeler's tiny VLM on.
   */
  static final SyntheticSpec PL_DATA = new SyntheticSpec(7, 600, 200, 512, 64, 10, 1, 3, 0.3, 0.5, 0.05, 0);

  /** Epochs of tiny-VLM pretraining: enough for pseudo-labels better than none, in seconds. */
  static final int VLM_EPOCHS = 4;

  private ClusterTestData() {}

  /** Generates {@link #PL_DATA} under {@code dir} unless it is there. */
  static Path plDataset(Path dir) throws IOException, InterruptedException {
    if (!Files.exists(dir.resolve("formatted_train_images.npy"))) {
      new SyntheticDatasetGenerator(2).generate(dir, PL_DATA, done -> { });
    }
    return dir;
  }

  /** Pretrains the labeler's tiny VLM on the captioned images of {@code data} into {@code dir}. */
  static Path tinyVlm(Path data, Path dir) throws IOException {
    PretrainedVlm.loadOrTrain(dir, data.resolve(SyntheticDatasetGenerator.CAPTIONS_DIR),
        PretrainOptions.defaults().withEpochs(VLM_EPOCHS).withBatchSize(64), PretrainProgress.NONE).close();
    return dir;
  }

  /**
   * GPR loss with DAMP pseudo-labels from a labeler, fine-tuning the labeler's own tiny-VLM image
   * tower (in {@code vlm}), which learns well above chance in a few epochs where a network from
   * scratch stays near it. The tower has no BatchNorm and {@code reg} is 0 (the only term of the
   * loss that is not a per-sample mean), so the gradient of a global batch does not depend on how
   * it is cut into micro-batches: runs with different worker counts differ by float summation
   * order only (DESIGN §3.6).
   */
  static String pseudoLabelSpecJson(Path data, Path vlm, int epochs) {
    return """
        {"name": "cluster-pl-test", "dataset": "synthetic", "data_dir": "%s", "arch": "tiny-vlm",
         "use_pretrained": true, "pretrained_path": "%s", "image_size": 64, "bsize": 16, "num_epochs": %d,
         "lr": 1e-4, "lr_mult": 10, "loss": "gpr_loss", "use_pl": true, "grid_size": 2, "reg": 0,
         "early_stop": false, "seed": 1200}
        """.formatted(data.toAbsolutePath(), vlm.resolve(PretrainedVlm.IMAGE_TOWER_FILE).toAbsolutePath(), epochs);
  }

  /** Generates the dataset under {@code dir} unless it is there. */
  static Path dataset(Path dir) throws IOException, InterruptedException {
    if (!Files.exists(dir.resolve("formatted_train_images.npy"))) {
      new SyntheticDatasetGenerator(2).generate(dir, DATA, done -> { });
    }
    return dir;
  }

  /**
   * Full-label training (no labeler needed) of the quarter-width ResNet-18 from scratch.
   *
   * @param extra more JSON members, e.g. {@code "\"sync_every\": 4,"}
   */
  static String specJson(Path data, int epochs, String extra) {
    return """
        {"name": "cluster-test", "dataset": "synthetic", "data_dir": "%s", "arch": "resnet18-narrow",
         "use_pretrained": false, "image_size": 64, "bsize": 16, "num_epochs": %d, "lr": 1e-3, "lr_mult": 1,
         %s "loss": "full_loss", "early_stop": false, "seed": 1200}
        """.formatted(data.toAbsolutePath(), epochs, extra);
  }

  static ExperimentSpec spec(String json) throws SpecException {
    return SpecLoader.builtIn().load(json, "test").spec();
  }

  /** mAP (percent) of scores that carry no information: each class's positive rate in the test split. */
  static double chanceMap(org.aevlp.common.data.SpmlSplit test) {
    double sum = 0;
    for (int c = 0; c < test.numClasses(); c++) {
      int positives = 0;
      for (int r = 0; r < test.size(); r++) {
        positives += test.labels().get(r, c) == 1 ? 1 : 0;
      }
      sum += (double) positives / test.size();
    }
    return 100 * sum / test.numClasses();
  }

  /** Test mAP of {@code json} trained by two workers in this JVM with nothing going wrong. */
  static double uninterruptedMap(Path runs, String json) throws Exception {
    try (LoopbackCluster cluster = LoopbackCluster.start(runs,
        RunnerSettings.defaults(Optional.empty()).withWorkersToStart(2))) {
      cluster.addLocalWorkers(2, WorkerSettings.of(Optional.empty(), List.of()), new NetworkReplicaFactory("cpu"));
      CoordinatorNode.Outcome outcome = cluster.run("reference", spec(json), RunListener.NONE)
          .get(10, TimeUnit.MINUTES);
      if (outcome.state() != RunState.COMPLETED) {
        throw new AssertionError("the uninterrupted reference run ended " + outcome.state() + ": " + outcome.reason());
      }
      return outcome.result().map(RunResult::testMap).orElseThrow();
    }
  }

  /**
   * Test mAP of the pseudo-label spec {@code json} trained by two workers in this JVM with a labeler
   * in this JVM too (tiny VLM from {@code vlm}), nothing going wrong. Where the labeler runs does not
   * change the pseudo-labels: they are a function of (sample, epoch, seed) and the VLM.
   */
  static double uninterruptedMapWithLabeler(Path runs, String json, Path data, Path vlm) throws Exception {
    try (LabelerServer server = LabelerServer.start(
            LabelerSettings.defaults().withBindAddress("127.0.0.1").withPort(0).withActors(1),
            TinyVlmScorer.load(vlm), List.of(LabelerDataset.load("synthetic", data)), new SimpleMeterRegistry());
        LoopbackCluster cluster = LoopbackCluster.start(runs,
            RunnerSettings.defaults(Optional.empty()).withWorkersToStart(2))) {
      cluster.addLocalWorkers(2, WorkerSettings.of(Optional.empty(), List.of("127.0.0.1:" + server.port())),
          new NetworkReplicaFactory("cpu"));
      CoordinatorNode.Outcome outcome = cluster.run("reference", spec(json), RunListener.NONE)
          .get(10, TimeUnit.MINUTES);
      if (outcome.state() != RunState.COMPLETED) {
        throw new AssertionError("the uninterrupted reference run ended " + outcome.state() + ": " + outcome.reason());
      }
      return outcome.result().map(RunResult::testMap).orElseThrow();
    }
  }

  /** Waits until the process's log contains {@code text}; fails when it ends first or time is up. */
  static void awaitLine(ChildJvm process, String text, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(process.log()) && Files.readString(process.log()).contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("process ended before printing '" + text + "':\n" + Files.readString(process.log()));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + text + "' within " + seconds + " s:\n" + Files.readString(process.log()));
  }
}
