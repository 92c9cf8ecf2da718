package org.aevlp.worker.loss;

/**
 * The GPR loss hyper-parameters in force during one epoch (DESIGN.md §4).
 *
 * @param w slope of {@code K = sigmoid(w·p + b)}
 * @param b offset of {@code K}
 * @param mu centre of {@code V = exp(-0.5·((p - mu)/sigma)²)}
 * @param sigma width of {@code V}
 * @param q2 exponent of the {@code K} branch, {@code (1 - p^q2)/q2}
 * @param q3 exponent of the {@code 1 - K} branch, {@code (1 - (1-p)^q3)/q3}
 */
public record ScheduleValues(double w, double b, double mu, double sigma, double q2, double q3) {}
