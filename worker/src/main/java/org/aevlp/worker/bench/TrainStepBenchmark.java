package org.aevlp.worker.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.aevlp.models.Network;
import org.aevlp.models.NetworkFactory;
import org.aevlp.models.NetworkSpec;
import org.aevlp.worker.loss.EpochSchedule;
import org.aevlp.worker.loss.GprLoss;
import org.aevlp.worker.loss.GprParams;
import org.aevlp.worker.train.GradientResult;
import org.aevlp.worker.train.MicroBatch;
import org.aevlp.worker.train.ReplicaTrainer;

/**
 * Times one training step of a replica — forward, GPR loss, backward, flatten the gradient, Adam
 * step — on random data already in memory, so only the step is measured (after warm-up).
 *
 * <p>The GPR loss uses the reference VOC hyper-parameters at epoch 1 with random observed and
 * pseudo-labels. Besides the step time it reports the two costs the cluster adds to a plain
 * training loop (reading the gradient out as a flat buffer, and applying a flat gradient) and the
 * process's resident memory after 100 steps and at the end, as a leak check.
 */
public final class TrainStepBenchmark {

  /** What to run. */
  public record Settings(String arch, int imageSize, int batch, int classes, int warmupSteps, int steps, int seed) {}

  /** What was measured; times in seconds. */
  public record Result(double medianStepSeconds, double imagesPerSecond, double medianFlattenSeconds,
      double medianApplySeconds, long parameterCount, long rssAfter100StepsBytes, long rssAtEndBytes) {}

  private TrainStepBenchmark() {}

  public static Result run(Settings settings, PrintStream progress) {
    SplittableRandom random = new SplittableRandom(settings.seed());
    MicroBatch batch = randomBatch(settings, random);
    Loss loss = GprLoss.forEpoch(vocParameters(settings.classes()), 1);
    try (NDManager manager = NDManager.newBaseManager()) {
      Network network = NetworkFactory.build(
          NetworkSpec.of(settings.arch(), settings.classes(), settings.imageSize()), manager, settings.seed());
      try (ReplicaTrainer trainer = ReplicaTrainer.builder().network(network).build()) {
        int total = settings.warmupSteps() + settings.steps();
        double[] stepSeconds = new double[settings.steps()];
        double[] flattenSeconds = new double[settings.steps()];
        double[] applySeconds = new double[settings.steps()];
        long rssAfter100 = -1;
        for (int step = 0; step < total; step++) {
          long start = System.nanoTime();
          GradientResult gradients = trainer.computeGradients(batch, loss);
          long computed = System.nanoTime();
          trainer.applyGradients(gradients.gradient());
          long applied = System.nanoTime();
          int measured = step - settings.warmupSteps();
          if (measured >= 0) {
            stepSeconds[measured] = (applied - start) / 1e9;
            applySeconds[measured] = (applied - computed) / 1e9;
            long flattenStart = System.nanoTime();
            trainer.parameters();
            flattenSeconds[measured] = (System.nanoTime() - flattenStart) / 1e9;
          }
          if (step + 1 == 100) {
            rssAfter100 = residentBytes();
          }
          if ((step + 1) % 50 == 0) {
            progress.printf("step %d/%d, median so far %.3f s%n", step + 1, total,
                median(Arrays.copyOf(stepSeconds, Math.max(1, measured + 1))));
          }
        }
        double medianStep = median(stepSeconds);
        return new Result(medianStep, settings.batch() / medianStep, median(flattenSeconds), median(applySeconds),
            trainer.trainableLayout().totalFloats(), rssAfter100, residentBytes());
      }
    }
  }

  private static GprParams vocParameters(int classes) {
    EpochSchedule schedule = EpochSchedule.fromReference(
        new double[] {0, 2, -2, -2}, new double[] {0.5, 2, 0.8, 0.5}, new double[] {0.01, 1}, 8, 0);
    return new GprParams(true, schedule, 0.7, 0.4, 0.9, 0.05, 1.5, classes);
  }

  private static MicroBatch randomBatch(Settings settings, SplittableRandom random) {
    int n = settings.batch();
    int c = settings.classes();
    float[] images = new float[n * 3 * settings.imageSize() * settings.imageSize()];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) (random.nextDouble() * 4 - 2);
    }
    float[] observed = new float[n * c];
    float[] pseudo = new float[n * c];
    for (int row = 0; row < n; row++) {
      observed[row * c + random.nextInt(c)] = 1;
      for (int k = 0; k < 2; k++) {
        pseudo[row * c + random.nextInt(c)] = 1;
      }
    }
    return new MicroBatch(n, new ai.djl.ndarray.types.Shape(3, settings.imageSize(), settings.imageSize()),
        images, c, List.of(observed, pseudo));
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** Resident set size of this process from /proc (Linux); -1 where unavailable. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
