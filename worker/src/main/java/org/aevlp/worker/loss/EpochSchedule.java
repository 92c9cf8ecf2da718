package org.aevlp.worker.loss;

/**
 * The per-epoch schedule of the GPR loss (DESIGN.md §4, QUIRKS S1, S2).
 *
 * <p>For a 1-based epoch {@code e}, {@code n = linearInit} and {@code E = numEpochs}:
 *
 * <pre>
 *   w  = w0  + (wMax  - w0)  · max(e - n - 1, 0) / (E - n)      b likewise
 *   mu = mu0 + (muMax - mu0) · max(e - n, 0)     / (E - n)      sigma likewise
 * </pre>
 *
 * <p>The two schedules are one epoch apart, as in the reference: {@code (w, b)} start at {@code
 * (w0, b0)} and stop one step short of {@code (wMax, bMax)}, while {@code (mu, sigma)} are already one
 * step along at epoch {@code n + 1} and reach {@code (muMax, sigmaMax)} at epoch {@code E}. The
 * exponents {@code q2, q3} do not change.
 *
 * @param w0 initial slope of K ({@code beta[0]})
 * @param wMax final slope of K ({@code beta[1]})
 * @param b0 initial offset of K ({@code beta[2]})
 * @param bMax final offset of K ({@code beta[3]})
 * @param mu0 initial centre of V ({@code alpha[0]})
 * @param sigma0 initial width of V ({@code alpha[1]}), &gt; 0
 * @param muMax final centre of V ({@code alpha[2]})
 * @param sigmaMax final width of V ({@code alpha[3]}), &gt; 0
 * @param q2 exponent of the K branch ({@code q2q3[0]}), non-zero
 * @param q3 exponent of the 1 - K branch ({@code q2q3[1]}), non-zero
 * @param numEpochs number of training epochs E, &gt; linearInit
 * @param linearInit number n of leading epochs that train the classifier only, &ge; 0
 */
public record EpochSchedule(
    double w0,
    double wMax,
    double b0,
    double bMax,
    double mu0,
    double sigma0,
    double muMax,
    double sigmaMax,
    double q2,
    double q3,
    int numEpochs,
    int linearInit) {

  /** Validates the schedule. */
  public EpochSchedule {
    requireFinite("beta", w0, wMax, b0, bMax);
    requireFinite("alpha", mu0, sigma0, muMax, sigmaMax);
    requireFinite("q2q3", q2, q3);
    if (!(sigma0 > 0) || !(sigmaMax > 0)) {
      throw new IllegalArgumentException(
          "alpha: sigma_0 and sigma_max (alpha[1], alpha[3]) must be > 0, got "
              + sigma0 + " and " + sigmaMax);
    }
    if (q2 == 0 || q3 == 0) {
      throw new IllegalArgumentException(
          "q2q3: both exponents must be non-zero, got [" + q2 + ", " + q3 + "]");
    }
    if (linearInit < 0) {
      throw new IllegalArgumentException("linear_init must be >= 0, got " + linearInit);
    }
    if (numEpochs <= linearInit) {
      // E == n would divide by zero in both schedules.
      throw new IllegalArgumentException(
          "num_epochs must be > linear_init, got num_epochs " + numEpochs + " and linear_init " + linearInit);
    }
  }

  /**
   * Builds the schedule from the reference configuration arrays, which use two different orders
   * (QUIRKS S1).
   *
   * @param beta {@code [w0, wMax, b0, bMax]}
   * @param alpha {@code [mu0, sigma0, muMax, sigmaMax]}
   * @param q2q3 {@code [q2, q3]}
   * @param numEpochs number of training epochs
   * @param linearInit number of classifier-only epochs
   * @return the schedule
   */
  public static EpochSchedule fromReference(
      double[] beta, double[] alpha, double[] q2q3, int numEpochs, int linearInit) {
    requireLength("beta", beta, 4);
    requireLength("alpha", alpha, 4);
    requireLength("q2q3", q2q3, 2);
    return new EpochSchedule(
        beta[0], beta[1], beta[2], beta[3],
        alpha[0], alpha[1], alpha[2], alpha[3],
        q2q3[0], q2q3[1],
        numEpochs, linearInit);
  }

  /**
   * Returns the values in force during an epoch.
   *
   * @param epoch the 1-based epoch, in {@code 1..numEpochs}
   * @return the epoch's w, b, mu, sigma, q2, q3
   */
  public ScheduleValues at(int epoch) {
    if (epoch < 1 || epoch > numEpochs) {
      throw new IllegalArgumentException("epoch must be in 1.." + numEpochs + " (1-based), got " + epoch);
    }
    int span = numEpochs - linearInit;
    int kStep = Math.max(epoch - linearInit - 1, 0);
    int vStep = Math.max(epoch - linearInit, 0);
    return new ScheduleValues(
        interpolate(w0, wMax, kStep, span),
        interpolate(b0, bMax, kStep, span),
        interpolate(mu0, muMax, vStep, span),
        interpolate(sigma0, sigmaMax, vStep, span),
        q2,
        q3);
  }

  // Same operation order as the reference, start + ((end - start) * step) / span, so the values
  // agree to the last bit.
  private static double interpolate(double start, double end, int step, int span) {
    return start + (end - start) * step / span;
  }

  private static void requireLength(String field, double[] values, int length) {
    if (values == null || values.length != length) {
      throw new IllegalArgumentException(
          field + " must hold " + length + " values, got " + (values == null ? "none" : values.length));
    }
  }

  private static void requireFinite(String field, double... values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException(field + " values must be finite, got " + v);
      }
    }
  }
}
