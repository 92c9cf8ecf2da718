package org.aevlp.worker.loss;

import java.util.Objects;

/**
 * Configuration of the GPR loss (DESIGN.md §4), as given by an experiment spec.
 *
 * @param usePl whether pseudo-labels enter the loss ({@code use_pl}); when off, pseudo-labels of
 *     1 or -1 make an entry contribute 0 (QUIRKS Q5)
 * @param schedule the per-epoch K, V schedule and exponents
 * @param lam1 {@code lam_1}: lower clamp {@code 1 - lam1} of V at pseudo-positives (applied first)
 * @param lam2 {@code lam_2}: upper clamp {@code 1 - lam2} of V at pseudo-positives (applied second)
 * @param rho weight of {@code -log p} against {@code -log(1 - p)} at pseudo-positives
 * @param reg weight of the expected-positive regulariser, &ge; 0
 * @param expectedNumPos expected number of positives per image
 * @param numClasses configured class count; the regulariser divides by its square (QUIRKS Q8)
 */
public record GprParams(
    boolean usePl,
    EpochSchedule schedule,
    double lam1,
    double lam2,
    double rho,
    double reg,
    double expectedNumPos,
    int numClasses) {

  /** Validates the parameters. */
  public GprParams {
    Objects.requireNonNull(schedule, "schedule");
    requireFinite("lam_1", lam1);
    requireFinite("lam_2", lam2);
    requireFinite("rho", rho);
    requireFinite("expected_num_pos", expectedNumPos);
    if (!(reg >= 0) || Double.isInfinite(reg)) {
      throw new IllegalArgumentException("reg must be finite and >= 0, got " + reg);
    }
    if (numClasses < 1) {
      throw new IllegalArgumentException("num_classes must be >= 1, got " + numClasses);
    }
  }

  private static void requireFinite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be finite, got " + value);
    }
  }
}
