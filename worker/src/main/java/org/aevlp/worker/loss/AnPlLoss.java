package org.aevlp.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Assume-negative loss with pseudo-positives (DESIGN.md §4 baseline "AN+PL"; the reference's {@code
 * AN_PL_loss}).
 *
 * <p>With final labels {@code f = y} where {@code y = 1}, else {@code π}: {@code ℓ = -log(p + ε)}
 * where {@code f = 1}; {@code ℓ = -log(1 - p + ε)} where {@code y = 0} and {@code π < 1} (pseudo 0
 * and -1 are both negatives, QUIRKS Q10); {@code loss = mean of ℓ over B×C}; {@code p =
 * sigmoid(z)}, {@code ε = 1e-7}. No regulariser.
 *
 * <p>Labels: {@code [observed B×C, pseudo B×C]}, or {@code [observed]} alone meaning no
 * pseudo-labels (then this is {@link AnLoss}). Predictions: {@code [logits B×C]}.
 */
public final class AnPlLoss extends Loss {

  /** The name under which experiment specs select this loss. */
  public static final String NAME = "an_pl_loss";

  /** Creates the loss; it has no parameters. */
  public AnPlLoss() {
    super(NAME);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    LossInputs inputs = LossInputs.of(NAME, labels, predictions, false);
    NDArray observed = inputs.observed();
    NDArray unknown = observed.eq(0);
    NDArray positive = observed.eq(1);
    NDArray negative = unknown;
    if (inputs.pseudo() != null) {
      positive = positive.logicalOr(unknown.logicalAnd(inputs.pseudo().eq(1)));
      negative = unknown.logicalAnd(inputs.pseudo().lt(1));
    }
    return LogLoss.maskedMean(
        Activation.sigmoid(inputs.logits()), inputs.mask(positive), inputs.mask(negative));
  }
}
