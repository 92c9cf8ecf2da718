package org.aevlp.labeler.damp;

import java.util.Arrays;
import java.util.Objects;

/**
 * DAMP output for one image, with the intermediate quantities of DESIGN.md §4 kept for checking
 * and instrumentation. All vectors have one entry per class. Arrays are copied in and out, so an
 * instance is immutable; equality compares contents.
 *
 * @param pseudoLabels the pseudo-labels training uses: 1 positive, 0 unknown, and at the negatives
 *     0 (reference default) or −1 ({@link DampParams#negativeAsMinusOne()})
 * @param positivesBeforeNegatives 1 at the positives (top_k of {@code simFinal} that reach the
 *     threshold), 0 elsewhere; {@code pseudoLabels} before the negative step
 * @param simFinal {@code ½(s_global + γ·α + (1−γ)·β)}, ranks the positives
 * @param sim {@code ½(s_global + mean over local views)}, ranks the negatives
 * @param alpha max over the local views of the view softmax
 * @param beta min over the local views of the view softmax
 * @param eta {@code min(s_global[observed class], float32(eta))}
 * @param gamma {@code α_c > η} (strict)
 * @param negativeIndices the classes of the negative step, ascending
 */
public record DampResult(
    int[] pseudoLabels,
    int[] positivesBeforeNegatives,
    double[] simFinal,
    double[] sim,
    double[] alpha,
    double[] beta,
    double eta,
    boolean[] gamma,
    int[] negativeIndices) {

  public DampResult {
    pseudoLabels = pseudoLabels.clone();
    positivesBeforeNegatives = positivesBeforeNegatives.clone();
    simFinal = simFinal.clone();
    sim = sim.clone();
    alpha = alpha.clone();
    beta = beta.clone();
    gamma = gamma.clone();
    negativeIndices = negativeIndices.clone();
  }

  @Override
  public int[] pseudoLabels() {
    return pseudoLabels.clone();
  }

  @Override
  public int[] positivesBeforeNegatives() {
    return positivesBeforeNegatives.clone();
  }

  @Override
  public double[] simFinal() {
    return simFinal.clone();
  }

  @Override
  public double[] sim() {
    return sim.clone();
  }

  @Override
  public double[] alpha() {
    return alpha.clone();
  }

  @Override
  public double[] beta() {
    return beta.clone();
  }

  @Override
  public boolean[] gamma() {
    return gamma.clone();
  }

  @Override
  public int[] negativeIndices() {
    return negativeIndices.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DampResult that
        && Arrays.equals(pseudoLabels, that.pseudoLabels)
        && Arrays.equals(positivesBeforeNegatives, that.positivesBeforeNegatives)
        && Arrays.equals(simFinal, that.simFinal)
        && Arrays.equals(sim, that.sim)
        && Arrays.equals(alpha, that.alpha)
        && Arrays.equals(beta, that.beta)
        && Double.compare(eta, that.eta) == 0
        && Arrays.equals(gamma, that.gamma)
        && Arrays.equals(negativeIndices, that.negativeIndices);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(pseudoLabels),
        Arrays.hashCode(positivesBeforeNegatives),
        Arrays.hashCode(simFinal),
        Arrays.hashCode(sim),
        Arrays.hashCode(alpha),
        Arrays.hashCode(beta),
        eta,
        Arrays.hashCode(gamma),
        Arrays.hashCode(negativeIndices));
  }

  @Override
  public String toString() {
    return "DampResult[pseudoLabels=" + Arrays.toString(pseudoLabels)
        + ", eta=" + eta
        + ", negativeIndices=" + Arrays.toString(negativeIndices)
        + ", simFinal=" + Arrays.toString(simFinal) + "]";
  }
}
