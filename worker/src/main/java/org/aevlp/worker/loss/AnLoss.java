package org.aevlp.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Assume-negative loss (DESIGN.md §4 baseline "AN"; the reference's {@code AN_loss}): every unknown
 * label is taken as negative.
 *
 * <p>{@code ℓ = -log(p + ε)} where {@code y = 1}, {@code ℓ = -log(1 - p + ε)} where {@code y = 0};
 * {@code loss = mean of ℓ over B×C}; {@code p = sigmoid(z)}, {@code ε = 1e-7}.
 *
 * <p>Labels: {@code [observed B×C]}; further arrays (pseudo-labels) are ignored (QUIRKS Q10).
 * Predictions: {@code [logits B×C]}.
 */
public final class AnLoss extends Loss {

  /** The name under which experiment specs select this loss. */
  public static final String NAME = "an_loss";

  /** Creates the loss; it has no parameters. */
  public AnLoss() {
    super(NAME);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    LossInputs inputs = LossInputs.of(NAME, labels, predictions, false);
    NDArray observed = inputs.observed();
    return LogLoss.maskedMean(
        Activation.sigmoid(inputs.logits()),
        inputs.mask(observed.eq(1)),
        inputs.mask(observed.eq(0)));
  }
}
