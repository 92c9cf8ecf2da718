package org.aevlp.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with PyTorch's semantics (betas 0.9/0.999, eps 1e-8 added after the bias-corrected square
 * root, no weight decay) and two learning rates: {@code lr} for the backbone and
 * {@code lr × lr_mult} for the head, as the reference trains.
 *
 * <pre>m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  w ← w − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε)</pre>
 *
 * <p>DJL's own Adam keeps its moments private; this one exposes its state as flat buffers so that
 * a joining replica and a checkpoint carry it. The step count is per parameter, like PyTorch's:
 * a parameter that received no update (frozen backbone during {@code linear_init}) keeps its count.
 */
final class AdamOptimizer implements AutoCloseable {

  static final double BETA1 = 0.9;
  static final double BETA2 = 0.999;
  static final double EPSILON = 1e-8;

  private final ParameterLayout layout;
  private final double learningRate;
  private final double headLearningRate;
  private final List<NDArray> firstMoments = new ArrayList<>();
  private final List<NDArray> secondMoments = new ArrayList<>();
  private final long[] steps;

  AdamOptimizer(NDManager stateManager, ParameterLayout layout, double learningRate, double headLearningRate) {
    this.layout = layout;
    this.learningRate = learningRate;
    this.headLearningRate = headLearningRate;
    this.steps = new long[layout.entries().size()];
    for (ParameterLayout.Entry entry : layout.entries()) {
      firstMoments.add(stateManager.zeros(entry.shape(), DataType.FLOAT32));
      secondMoments.add(stateManager.zeros(entry.shape(), DataType.FLOAT32));
    }
  }

  /**
   * Applies one update from a flat gradient. The gradient slices live in {@code stepManager}; other
   * temporaries are closed by the caller's NDScope; weights and moments are updated in place.
   *
   * @param headOnly update only head parameters (the backbone is frozen this epoch)
   */
  void step(float[] gradient, NDManager stepManager, boolean headOnly) {
    if (gradient.length != layout.totalFloats()) {
      throw new IllegalArgumentException(
          "gradient: expected " + layout.totalFloats() + " floats, got " + gradient.length);
    }
    List<ParameterLayout.Entry> entries = layout.entries();
    for (int i = 0; i < entries.size(); i++) {
      ParameterLayout.Entry entry = entries.get(i);
      if (headOnly && !entry.head()) {
        continue;
      }
      NDArray g = stepManager.create(
          FloatBuffer.wrap(gradient, (int) entry.offset(), (int) entry.size()), entry.shape());
      long t = ++steps[i];
      double lr = entry.head() ? headLearningRate : learningRate;
      NDArray m = firstMoments.get(i);
      NDArray v = secondMoments.get(i);
      m.muli(BETA1).addi(g.mul(1 - BETA1));
      v.muli(BETA2).addi(g.square().muli(1 - BETA2));
      double biasCorrection1 = 1 - Math.pow(BETA1, t);
      double biasCorrection2 = 1 - Math.pow(BETA2, t);
      NDArray denominator = v.sqrt().divi(Math.sqrt(biasCorrection2)).addi(EPSILON);
      NDArray update = m.div(denominator).muli(lr / biasCorrection1);
      entry.parameter().getArray().subi(update);
    }
  }

  OptimizerState state() {
    float[] first = new float[layout.length()];
    float[] second = new float[layout.length()];
    List<ParameterLayout.Entry> entries = layout.entries();
    for (int i = 0; i < entries.size(); i++) {
      int offset = (int) entries.get(i).offset();
      float[] m = firstMoments.get(i).toFloatArray();
      float[] v = secondMoments.get(i).toFloatArray();
      System.arraycopy(m, 0, first, offset, m.length);
      System.arraycopy(v, 0, second, offset, v.length);
    }
    return new OptimizerState(steps.clone(), first, second);
  }

  void restore(OptimizerState state, NDManager stepManager) {
    if (state.steps().length != steps.length || state.firstMoments().length != layout.totalFloats()) {
      throw new IllegalArgumentException(
          "optimizer state: expected " + steps.length + " parameters / " + layout.totalFloats()
              + " floats, got " + state.steps().length + " / " + state.firstMoments().length);
    }
    List<ParameterLayout.Entry> entries = layout.entries();
    for (int i = 0; i < entries.size(); i++) {
      FlatCopy.into(firstMoments.get(i), state.firstMoments(), entries.get(i), stepManager);
      FlatCopy.into(secondMoments.get(i), state.secondMoments(), entries.get(i), stepManager);
    }
    System.arraycopy(state.steps(), 0, steps, 0, steps.length);
  }

  @Override
  public void close() {
    firstMoments.forEach(NDArray::close);
    secondMoments.forEach(NDArray::close);
  }
}
