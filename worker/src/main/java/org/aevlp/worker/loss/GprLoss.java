package org.aevlp.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import java.util.Objects;
import org.aevlp.models.ScalarArrays;

/**
 * Generalized Pseudo-label Robust loss (DESIGN.md §4; the reference's {@code GPR_loss}) for one
 * epoch.
 *
 * <p>With {@code p = sigmoid(z)}, final labels {@code f = y} where {@code y = 1}, else {@code π},
 * {@code nlog(x) = -log(x + 1e-7)}, and weights from the detached {@code p} (constants for the
 * gradient, QUIRKS Q3): {@code K = sigmoid(w·p + b)}, {@code V = exp(-0.5·((p - mu)/sigma)²)}:
 *
 * <pre>
 *   y = 1:          ℓ = nlog(p)
 *   f = 0:          ℓ = V·(K·(1 - p^q2)/q2 + (1 - K)·(1 - (1-p)^q3)/q3)
 *   use_pl, y = 0, π = 1:   ℓ = (1 - V')·(rho·nlog(p) + (1 - rho)·nlog(1 - p)),
 *                           V' = min(max(V, 1 - lam1), 1 - lam2)
 *   use_pl, f = -1: ℓ = V·nlog(1 - p)
 *   otherwise:      ℓ = 0   (π = ±1 without use_pl, QUIRKS Q5)
 *   loss = mean of ℓ over B×C + reg·(mean_b Σ_c p - expectedNumPos)² / numClasses²
 * </pre>
 *
 * <p>The regulariser is differentiated through {@code p} and divides by the configured class count
 * (QUIRKS Q8); pseudo-labels at observed positives are ignored (Q6). The values of {@code w, b, mu,
 * sigma, q2, q3} are those of the epoch the loss was made for ({@link EpochSchedule}).
 *
 * <p>Labels: {@code [observed B×C (0/1), pseudo B×C (-1/0/1)]}; without {@code use_pl} the pseudo
 * array may be left out (read as zeros). Predictions: {@code [logits B×C]}. Every array is
 * allocated on the managers of the inputs.
 */
public final class GprLoss extends Loss {

  /** The name under which experiment specs select this loss. */
  public static final String NAME = "gpr_loss";

  private final GprParams params;
  private final ScheduleValues values;

  GprLoss(GprParams params, ScheduleValues values) {
    super(NAME);
    this.params = Objects.requireNonNull(params, "params");
    this.values = Objects.requireNonNull(values, "values");
  }

  /**
   * Returns the loss for one epoch of a run.
   *
   * @param params the run's loss configuration
   * @param epoch the 1-based epoch, in {@code 1..numEpochs}
   * @return the loss with that epoch's schedule values
   */
  public static GprLoss forEpoch(GprParams params, int epoch) {
    Objects.requireNonNull(params, "params");
    return new GprLoss(params, params.schedule().at(epoch));
  }

  /** Returns the configuration. */
  public GprParams params() {
    return params;
  }

  /** Returns the schedule values of this loss's epoch. */
  public ScheduleValues values() {
    return values;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    LossInputs inputs = LossInputs.of(NAME, labels, predictions, params.usePl());
    NDArray p = Activation.sigmoid(inputs.logits());
    NDArray weightSource = p.stopGradient();
    return total(inputs, p, weightK(weightSource), weightV(weightSource));
  }

  /** The loss with K and V supplied by the caller, as the reference function takes them. */
  NDArray evaluate(NDList labels, NDList predictions, NDArray k, NDArray v) {
    LossInputs inputs = LossInputs.of(NAME, labels, predictions, params.usePl());
    return total(inputs, Activation.sigmoid(inputs.logits()), k, v);
  }

  /** {@code K = sigmoid(w·p + b)}. */
  NDArray weightK(NDArray p) {
    return Activation.sigmoid(p.mul(values.w()).add(values.b()));
  }

  /** {@code V = exp(-0.5·((p - mu)/sigma)²)}. */
  NDArray weightV(NDArray p) {
    return p.sub(values.mu()).div(values.sigma()).square().mul(-0.5).exp();
  }

  /**
   * {@code V' = min(max(V, 1 - lam1), 1 - lam2)}, in that order (QUIRKS Q1): when {@code lam1 <
   * lam2} every clamped value is {@code 1 - lam2}.
   */
  NDArray clampPseudoPositiveV(NDArray v) {
    return v.maximum(1.0 - params.lam1()).minimum(1.0 - params.lam2());
  }

  /** The element losses ℓ (B×C) before the mean. */
  NDArray elementLosses(LossInputs inputs, NDArray p, NDArray k, NDArray v) {
    NDArray observed = inputs.observed();
    NDArray pseudo = inputs.pseudo();
    NDArray unknown = observed.eq(0);
    NDArray finalZero = pseudo == null ? unknown : unknown.logicalAnd(pseudo.eq(0));
    NDArray losses =
        LogLoss.negLog(p)
            .mul(inputs.mask(observed.eq(1)))
            .add(unknownTerm(inputs.logits(), k, v).mul(inputs.mask(finalZero)));
    if (params.usePl()) {
      NDArray pseudoPositive = unknown.logicalAnd(pseudo.eq(1));
      NDArray pseudoNegative = unknown.logicalAnd(pseudo.eq(-1));
      losses =
          losses
              .add(pseudoPositiveTerm(p, v).mul(inputs.mask(pseudoPositive)))
              .add(pseudoNegativeTerm(p, v).mul(inputs.mask(pseudoNegative)));
    }
    return losses;
  }

  /** {@code (mean_b Σ_c p - expectedNumPos)² / numClasses²}, before the weight {@code reg}. */
  NDArray regularizer(NDArray p) {
    double classesSquared = (double) params.numClasses() * params.numClasses();
    NDArray meanPositives = p.sum(new int[] {1}).mean();
    return meanPositives.sub(ScalarArrays.of(meanPositives, params.expectedNumPos())).square()
        .div(ScalarArrays.of(meanPositives, classesSquared));
  }

  private NDArray total(LossInputs inputs, NDArray p, NDArray k, NDArray v) {
    NDArray regularizer = regularizer(p);
    return elementLosses(inputs, p, k, v).mean().add(regularizer.mul(ScalarArrays.of(regularizer, params.reg())));
  }

  /**
   * {@code V·(K·(1 - p^q2)/q2 + (1 - K)·(1 - (1-p)^q3)/q3)}, with the powers taken from the logits
   * as {@code p^q = exp(q·log σ(z))} and {@code (1-p)^q = exp(q·log σ(-z))}: the same values, but
   * finite gradients everywhere. Computed from {@code p}, a logit below about -88 makes p exactly 0
   * in float32, where {@code p^q2} (q2 < 1) has an infinite derivative and the step's gradient
   * turns NaN; and this term keeps pushing unknown logits down with a nearly constant force, so
   * they can get there.
   */
  private NDArray unknownTerm(NDArray logits, NDArray k, NDArray v) {
    NDArray q2 = ScalarArrays.of(logits, values.q2());
    NDArray q3 = ScalarArrays.of(logits, values.q3());
    NDArray pPowQ2 = logSigmoid(logits).mul(q2).exp();
    NDArray oneMinusPPowQ3 = logSigmoid(logits.neg()).mul(q3).exp();
    NDArray kBranch = k.mul(NDArrays.sub(1.0, pPowQ2).div(q2));
    NDArray otherBranch = NDArrays.sub(1.0, k).mul(NDArrays.sub(1.0, oneMinusPPowQ3).div(q3));
    return v.mul(kBranch.add(otherBranch));
  }

  /** {@code log σ(z) = -(max(-z, 0) + log(1 + exp(-|z|)))}, finite for every finite z. */
  private static NDArray logSigmoid(NDArray z) {
    return z.neg().maximum(ScalarArrays.of(z, 0)).add(z.abs().neg().exp().add(1).log()).neg();
  }

  private NDArray pseudoPositiveTerm(NDArray p, NDArray v) {
    double rho = params.rho();
    NDArray logs =
        LogLoss.negLog(p).mul(ScalarArrays.of(p, rho))
            .add(LogLoss.negLog(NDArrays.sub(1.0, p)).mul(ScalarArrays.of(p, 1.0 - rho)));
    return NDArrays.sub(1.0, clampPseudoPositiveV(v)).mul(logs);
  }

  private NDArray pseudoNegativeTerm(NDArray p, NDArray v) {
    return v.mul(LogLoss.negLog(NDArrays.sub(1.0, p)));
  }
}
