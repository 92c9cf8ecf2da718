package org.aevlp.models.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TorchLikeLayersTest {

  private NDManager manager;

  @BeforeEach
  void openManager() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void batchNormUpdatesRunningStatisticsLikePyTorch() {
    int n = 4;
    int c = 2;
    int hw = 9;
    float[] data = new float[n * c * hw];
    Random random = new Random(7);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (3 + 2 * random.nextGaussian());
    }
    BatchNorm bn = TorchLikeLayers.batchNorm();
    Shape shape = new Shape(n, c, 3, 3);
    bn.initialize(manager, DataType.FLOAT32, shape);
    try (NDManager step = manager.newSubManager()) {
      NDArray x = step.create(data, shape);
      NDArray output = bn.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
      float[] out = output.toFloatArray();
      float[] runningMean = bn.getParameters().get("runningMean").getArray().toFloatArray();
      float[] runningVar = bn.getParameters().get("runningVar").getArray().toFloatArray();
      for (int ch = 0; ch < c; ch++) {
        double sum = 0;
        for (int b = 0; b < n; b++) {
          for (int k = 0; k < hw; k++) {
            sum += data[(b * c + ch) * hw + k];
          }
        }
        int count = n * hw;
        double mean = sum / count;
        double squares = 0;
        for (int b = 0; b < n; b++) {
          for (int k = 0; k < hw; k++) {
            double d = data[(b * c + ch) * hw + k] - mean;
            squares += d * d;
          }
        }
        // PyTorch: running = (1 - 0.1)·running + 0.1·batch, running var from the unbiased variance.
        assertEquals(0.1 * mean, runningMean[ch], 1e-5, "running mean of channel " + ch);
        assertEquals(0.9 + 0.1 * squares / (count - 1), runningVar[ch], 1e-4, "running var " + ch);
        // The output uses the biased batch variance and eps = 1e-5.
        int first = ch * hw;
        double expected = (data[first] - mean) / Math.sqrt(squares / count + 1e-5);
        assertEquals(expected, out[first], 1e-4, "normalised value of channel " + ch);
      }
    }
  }

  @Test
  void batchNormRunningStatisticsAreNotTrainable() {
    BatchNorm bn = TorchLikeLayers.batchNorm();
    bn.initialize(manager, DataType.FLOAT32, new Shape(2, 8, 4, 4));
    assertTrue(bn.getParameters().get("gamma").requiresGradient());
    assertTrue(bn.getParameters().get("beta").requiresGradient());
    assertFalse(bn.getParameters().get("runningMean").requiresGradient());
    assertFalse(bn.getParameters().get("runningVar").requiresGradient());
    assertArrayAll(1f, bn.getParameters().get("gamma").getArray().toFloatArray());
    assertArrayAll(0f, bn.getParameters().get("beta").getArray().toFloatArray());
  }

  @Test
  void kaimingConvDrawsFromNormalWithFanOutVariance() {
    Block conv = TorchLikeLayers.kaimingConv(256, 3, 1, 1);
    conv.initialize(manager, DataType.FLOAT32, new Shape(1, 128, 8, 8));
    Parameter weight = conv.getParameters().get("weight");
    assertEquals(new Shape(256, 128, 3, 3), weight.getShape());
    assertEquals(1, conv.getParameters().size(), "no bias");
    double std = std(weight.getArray().toFloatArray());
    // fan_out = 256·3·3 (fan_in would give 0.0417)
    assertEquals(Math.sqrt(2.0 / (256 * 9)), std, 0.02 * Math.sqrt(2.0 / (256 * 9)));
  }

  @Test
  void defaultConvDrawsUniformWithinInverseSqrtFanIn() {
    Block conv = TorchLikeLayers.defaultConv(64, 3, 2, 1);
    conv.initialize(manager, DataType.FLOAT32, new Shape(1, 32, 8, 8));
    float[] w = conv.getParameters().get("weight").getArray().toFloatArray();
    double bound = 1 / Math.sqrt(32 * 9);
    assertWithin(bound, w);
    assertEquals(bound / Math.sqrt(3), std(w), 0.03 * bound / Math.sqrt(3));
  }

  @Test
  void linearInitialisesWeightAndBiasLikePyTorch() {
    Block linear = TorchLikeLayers.linear(64, 500);
    linear.initialize(manager, DataType.FLOAT32, new Shape(2, 64));
    float[] weight = linear.getParameters().get("weight").getArray().toFloatArray();
    float[] bias = linear.getParameters().get("bias").getArray().toFloatArray();
    double bound = 1 / Math.sqrt(64);
    assertWithin(bound, weight);
    assertWithin(bound, bias);
    assertEquals(bound / Math.sqrt(3), std(weight), 0.03 * bound / Math.sqrt(3));
    // DJL's default bias is all zeros; PyTorch's is uniform, as here.
    assertEquals(bound / Math.sqrt(3), std(bias), 0.15 * bound / Math.sqrt(3));
  }

  private static void assertWithin(double bound, float[] values) {
    double max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    assertTrue(max <= bound + 1e-7, "max |value| " + max + " exceeds " + bound);
    assertTrue(max > 0.9 * bound, "max |value| " + max + " far below " + bound);
  }

  private static void assertArrayAll(float expected, float[] values) {
    for (float v : values) {
      assertEquals(expected, v);
    }
  }

  private static double std(float[] values) {
    double mean = 0;
    for (float v : values) {
      mean += v;
    }
    mean /= values.length;
    double sq = 0;
    for (float v : values) {
      sq += (v - mean) * (v - mean);
    }
    return Math.sqrt(sq / values.length);
  }
}
