package org.aevlp.labeler.vlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import org.aevlp.models.GradMode;

/**
 * AdamW with PyTorch's {@code torch.optim.AdamW} semantics (betas 0.9/0.999, eps 1e-8 added after
 * the bias-corrected square root), decoupled weight decay applied per tensor where asked:
 *
 * <pre>
 *   w ← w − lr·λ·w                              (only tensors with decay)
 *   m ← β1·m + (1−β1)·g;   v ← β2·v + (1−β2)·g²
 *   w ← w − lr · (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)
 * </pre>
 *
 * Weights and moments are updated in place (outside a gradient collector, where autograd allows
 * it); the moments live on the manager given at construction. Every temporary of a step is created
 * inside an {@link NDScope} and closed when the step ends, whichever manager it is attached to.
 */
final class AdamW implements AutoCloseable {

  static final double BETA1 = 0.9;
  static final double BETA2 = 0.999;
  static final double EPSILON = 1e-8;

  private final List<NDArray> weights;
  private final boolean[] decay;
  private final double learningRate;
  private final double weightDecay;
  private final List<NDArray> firstMoments = new ArrayList<>();
  private final List<NDArray> secondMoments = new ArrayList<>();
  private long steps;

  /**
   * @param stateManager owner of the moment tensors
   * @param weights the tensors to update, in a fixed order
   * @param decay per tensor, whether weight decay applies
   */
  AdamW(
      NDManager stateManager,
      List<NDArray> weights,
      boolean[] decay,
      double learningRate,
      double weightDecay) {
    if (weights.size() != decay.length) {
      throw new IllegalArgumentException(
          "decay: one flag per weight needed, got " + decay.length + " for " + weights.size());
    }
    this.weights = List.copyOf(weights);
    this.decay = decay.clone();
    this.learningRate = learningRate;
    this.weightDecay = weightDecay;
    for (NDArray weight : weights) {
      firstMoments.add(stateManager.zeros(weight.getShape(), weight.getDataType()));
      secondMoments.add(stateManager.zeros(weight.getShape(), weight.getDataType()));
    }
  }

  /** Applies one update; {@code gradients} are aligned with the weights. */
  void step(List<NDArray> gradients) {
    if (gradients.size() != weights.size()) {
      throw new IllegalArgumentException(
          "gradients: expected " + weights.size() + ", got " + gradients.size());
    }
    GradMode.offOnThisThread();
    steps++;
    double biasCorrection1 = 1 - Math.pow(BETA1, steps);
    double sqrtBiasCorrection2 = Math.sqrt(1 - Math.pow(BETA2, steps));
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (int i = 0; i < weights.size(); i++) {
        NDArray weight = weights.get(i);
        NDArray g = gradients.get(i);
        NDArray m = firstMoments.get(i);
        NDArray v = secondMoments.get(i);
        if (decay[i] && weightDecay > 0) {
          weight.muli((float) (1 - learningRate * weightDecay));
        }
        m.muli((float) BETA1).addi(g.mul((float) (1 - BETA1)));
        v.muli((float) BETA2).addi(g.square().muli((float) (1 - BETA2)));
        NDArray denominator = v.sqrt().divi((float) sqrtBiasCorrection2).addi((float) EPSILON);
        weight.subi(m.div(denominator).muli((float) (learningRate / biasCorrection1)));
      }
    }
  }

  /** Updates applied so far. */
  long steps() {
    return steps;
  }

  @Override
  public void close() {
    firstMoments.forEach(NDArray::close);
    secondMoments.forEach(NDArray::close);
  }
}
