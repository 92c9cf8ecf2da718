package org.aevlp.worker.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaTrainerTest {

  private static final int FEATURES = 6;
  private static final int CLASSES = 3;
  private static final Loss BCE = Loss.sigmoidBinaryCrossEntropyLoss();

  private static SequentialBlock mlp(boolean withBatchNorm) {
    SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(8).build());
    if (withBatchNorm) {
      block.add(BatchNorm.builder().build());
    }
    return block.add(Activation::relu).add(Linear.builder().setUnits(CLASSES).build());
  }

  private static ReplicaTrainer trainer(boolean withBatchNorm, int seed) {
    SequentialBlock network = mlp(withBatchNorm);
    Block head = network.getChildren().get(network.getChildren().size() - 1).getValue();
    return ReplicaTrainer.builder()
        .network(network)
        .sampleShape(new Shape(FEATURES))
        .headParameters(parameter -> head.getParameters().values().contains(parameter))
        .learningRate(1e-2)
        .headLearningRateMultiplier(10)
        .seed(seed)
        .build();
  }

  private static MicroBatch batch(long seed, int size) {
    Random random = new Random(seed);
    float[] x = new float[size * FEATURES];
    float[] y = new float[size * CLASSES];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = random.nextBoolean() ? 1f : 0f;
    }
    return new MicroBatch(size, new Shape(FEATURES), x, CLASSES, List.of(y));
  }

  private static MicroBatch slice(MicroBatch batch, int from, int to) {
    int n = to - from;
    float[] x = new float[n * FEATURES];
    float[] y = new float[n * CLASSES];
    System.arraycopy(batch.images(), from * FEATURES, x, 0, x.length);
    System.arraycopy(batch.labels().get(0), from * CLASSES, y, 0, y.length);
    return new MicroBatch(n, new Shape(FEATURES), x, CLASSES, List.of(y));
  }

  private static List<Double> trainSteps(ReplicaTrainer trainer, int steps) {
    List<Double> losses = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      GradientResult result = trainer.computeGradients(batch(s, 8), BCE);
      trainer.applyGradients(result.gradient());
      losses.add(result.meanLoss());
    }
    return losses;
  }

  @Test
  void sameSeedAndDataGiveTheSameLossSequence() {
    try (ReplicaTrainer a = trainer(true, 7); ReplicaTrainer b = trainer(true, 7); ReplicaTrainer c = trainer(true, 8)) {
      List<Double> first = trainSteps(a, 20);
      assertEquals(first, trainSteps(b, 20));
      assertNotEquals(first, trainSteps(c, 20));
      assertTrue(first.get(19) < first.get(0), "loss should fall on a fixed problem: " + first);
    }
  }

  @Test
  void gradientsAreClearedBetweenCalls() {
    try (ReplicaTrainer trainer = trainer(false, 1)) {
      MicroBatch batch = batch(3, 8);
      float[] first = trainer.computeGradients(batch, BCE).gradient();
      float[] second = trainer.computeGradients(batch, BCE).gradient();
      assertArrayEquals(first, second);
    }
  }

  @Test
  void sampleWeightedMeanOfMicroBatchGradientsEqualsTheFullBatchGradient() {
    try (ReplicaTrainer trainer = trainer(false, 1)) {
      MicroBatch full = batch(5, 10);
      GradientResult whole = trainer.computeGradients(full, BCE);
      GradientResult left = trainer.computeGradients(slice(full, 0, 3), BCE);
      GradientResult right = trainer.computeGradients(slice(full, 3, 10), BCE);
      float[] reduced = new float[whole.gradient().length];
      double maxAbs = 0;
      for (int i = 0; i < reduced.length; i++) {
        reduced[i] = (left.gradient()[i] * 3 + right.gradient()[i] * 7) / 10f;
        maxAbs = Math.max(maxAbs, Math.abs(whole.gradient()[i]));
      }
      for (int i = 0; i < reduced.length; i++) {
        assertEquals(whole.gradient()[i], reduced[i], 1e-6 * maxAbs, "gradient element " + i);
      }
      assertEquals(whole.lossSum(), left.lossSum() + right.lossSum(), 1e-5);
    }
  }

  @Test
  void adamStepMatchesTheClosedForm() {
    try (ReplicaTrainer trainer = trainer(false, 2)) {
      float[] before = trainer.parameters();
      float[] gradient = new float[before.length];
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] = (float) Math.sin(i + 1.0);
      }
      trainer.applyGradients(gradient);
      trainer.applyGradients(gradient);
      float[] after = trainer.parameters();
      ParameterLayout layout = trainer.trainableLayout();
      for (ParameterLayout.Entry entry : layout.entries()) {
        double lr = entry.head() ? 1e-1 : 1e-2;
        for (int k = 0; k < entry.size(); k++) {
          int i = (int) entry.offset() + k;
          double g = gradient[i];
          double m = 0;
          double v = 0;
          double w = before[i];
          for (int t = 1; t <= 2; t++) {
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            w -= (lr / (1 - Math.pow(0.9, t))) * m / (Math.sqrt(v) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8);
          }
          assertEquals(w, after[i], 1e-5, entry.name() + "[" + k + "]");
        }
      }
    }
  }

  @Test
  void headOnlyUpdateLeavesTheBackboneUntouched() {
    try (ReplicaTrainer trainer = trainer(false, 2)) {
      float[] before = trainer.parameters();
      float[] gradient = new float[before.length];
      java.util.Arrays.fill(gradient, 0.5f);
      trainer.applyGradients(gradient, true);
      float[] after = trainer.parameters();
      boolean headMoved = false;
      assertTrue(trainer.trainableLayout().entries().stream().anyMatch(e -> !e.head()), "needs a backbone");
      for (ParameterLayout.Entry entry : trainer.trainableLayout().entries()) {
        for (int k = 0; k < entry.size(); k++) {
          int i = (int) entry.offset() + k;
          if (entry.head()) {
            headMoved |= before[i] != after[i];
          } else {
            assertEquals(before[i], after[i], entry.name() + " changed while frozen");
          }
        }
      }
      assertTrue(headMoved, "head parameters should move");
    }
  }

  @Test
  void replicasApplyingTheSameGradientStayIdentical() {
    try (ReplicaTrainer a = trainer(true, 3); ReplicaTrainer b = trainer(true, 3)) {
      for (int s = 0; s < 5; s++) {
        GradientResult ga = a.computeGradients(slice(batch(s, 8), 0, 4), BCE);
        GradientResult gb = b.computeGradients(slice(batch(s, 8), 4, 8), BCE);
        float[] mean = new float[ga.gradient().length];
        for (int i = 0; i < mean.length; i++) {
          mean[i] = (ga.gradient()[i] + gb.gradient()[i]) / 2;
        }
        a.applyGradients(mean);
        b.applyGradients(mean);
      }
      assertArrayEquals(a.parameters(), b.parameters());
      assertEquals(a.optimizerState(), b.optimizerState());
    }
  }

  @Test
  void checkpointRestoresAnIdenticalReplica(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("replica.ckpt");
    try (ReplicaTrainer original = trainer(true, 4); ReplicaTrainer other = trainer(true, 99)) {
      trainSteps(original, 5);
      original.save(file);
      other.load(file);
      MicroBatch probe = batch(42, 5);
      assertArrayEquals(original.predict(probe), other.predict(probe));
      assertArrayEquals(original.runningStatistics(), other.runningStatistics());
      GradientResult a = original.computeGradients(probe, BCE);
      GradientResult b = other.computeGradients(probe, BCE);
      original.applyGradients(a.gradient());
      other.applyGradients(b.gradient());
      assertArrayEquals(original.parameters(), other.parameters());
    }
  }

  @Test
  void runningStatisticsCanBeReplacedForBatchNormAveraging() {
    try (ReplicaTrainer trainer = trainer(true, 5)) {
      trainSteps(trainer, 3);
      float[] stats = trainer.runningStatistics();
      assertEquals(16, stats.length, "running mean and variance of 8 channels");
      float[] replaced = stats.clone();
      for (int i = 0; i < replaced.length; i++) {
        replaced[i] = i % 8 < 4 ? 0.25f : 2f;
      }
      trainer.setRunningStatistics(replaced);
      assertArrayEquals(replaced, trainer.runningStatistics());
    }
  }

  @Test
  void checkpointOfAnotherNetworkIsRejected(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("other.ckpt");
    try (ReplicaTrainer withBn = trainer(true, 1); ReplicaTrainer withoutBn = trainer(false, 1)) {
      withBn.save(file);
      IOException error = assertThrows(IOException.class, () -> withoutBn.load(file));
      assertTrue(error.getMessage().contains("another network"), error.getMessage());
      Files.write(file, new byte[] {1, 2, 3});
      assertThrows(IOException.class, () -> withoutBn.load(file));
    }
  }
}
