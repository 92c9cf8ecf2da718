package org.aevlp.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Binary cross-entropy against the complete clean labels: the fully supervised upper bound
 * (DESIGN.md §4 baseline "full").
 *
 * <p>{@code ℓ = -log(p + ε)} where {@code y = 1}, {@code ℓ = -log(1 - p + ε)} where {@code y = 0};
 * {@code loss = mean of ℓ over B×C}; {@code p = sigmoid(z)}, {@code ε = 1e-7} (the same ε as the
 * other losses, so the baselines differ only in their labels).
 *
 * <p>Labels: {@code [clean labels B×C]} (0/1, any number of positives per row). Predictions:
 * {@code [logits B×C]}.
 */
public final class FullLabelLoss extends Loss {

  /** The name under which experiment specs select this loss. */
  public static final String NAME = "full_loss";

  /** Creates the loss; it has no parameters. */
  public FullLabelLoss() {
    super(NAME);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    LossInputs inputs = LossInputs.of(NAME, labels, predictions, false);
    NDArray clean = inputs.observed();
    return LogLoss.maskedMean(
        Activation.sigmoid(inputs.logits()), inputs.mask(clean.eq(1)), inputs.mask(clean.eq(0)));
  }
}
