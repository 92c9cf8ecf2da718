package org.aevlp.coordinator.training;

import java.util.List;

/**
 * Sample-weighted mean of micro-batch gradients (DESIGN §3, step 3):
 *
 * <pre>g = Σ_i n_i·g_i / Σ_i n_i</pre>
 *
 * where g_i is the gradient of micro-batch i's mean loss and n_i its sample count, so that a
 * global batch split across N workers yields the gradient of the whole batch's mean loss.
 * Contributions are summed in micro-batch order (not arrival order) in double precision, which
 * makes the result independent of which worker answered first.
 */
public final class GradientReducer {

  private GradientReducer() {}

  /** One micro-batch's contribution: its gradient and the samples it covered. */
  public record Contribution(float[] gradient, int samples) {}

  /**
   * Reduces contributions given in micro-batch order.
   *
   * @throws IllegalArgumentException when lengths differ or no sample contributed
   */
  public static float[] weightedMean(List<Contribution> contributions) {
    if (contributions.isEmpty()) {
      throw new IllegalArgumentException("no contributions to reduce");
    }
    int length = contributions.get(0).gradient().length;
    double[] sum = new double[length];
    long samples = 0;
    for (Contribution c : contributions) {
      if (c.gradient().length != length) {
        throw new IllegalArgumentException(
            "gradient lengths differ: " + c.gradient().length + " vs " + length + " (replicas of different networks?)");
      }
      if (c.samples() == 0) {
        continue;
      }
      float[] g = c.gradient();
      double n = c.samples();
      for (int i = 0; i < length; i++) {
        sum[i] += n * g[i];
      }
      samples += c.samples();
    }
    if (samples == 0) {
      throw new IllegalArgumentException("no samples contributed to the step");
    }
    float[] mean = new float[length];
    for (int i = 0; i < length; i++) {
      mean[i] = (float) (sum[i] / samples);
    }
    return mean;
  }

  /** Plain mean of equally weighted buffers (BatchNorm running statistics, local-SGD parameters). */
  public static float[] mean(List<float[]> buffers) {
    return weightedMean(buffers.stream().map(b -> new Contribution(b, 1)).toList());
  }
}
