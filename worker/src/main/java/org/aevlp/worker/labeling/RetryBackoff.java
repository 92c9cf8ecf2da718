package org.aevlp.worker.labeling;

import java.time.Duration;

/**
 * Exponential backoff between retries: the n-th wait (0-based) is {@code min(initial · factor^n,
 * max)}.
 */
public record RetryBackoff(Duration initial, Duration max, double factor) {

  /** 200 ms doubling up to 10 s: a labeler restart is noticed within seconds. */
  public static final RetryBackoff DEFAULT = new RetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 2.0);

  public RetryBackoff {
    if (initial.isNegative() || max.compareTo(initial) < 0 || factor < 1) {
      throw new IllegalArgumentException("backoff: need 0 <= initial <= max and factor >= 1, got " + initial + ", "
          + max + ", " + factor);
    }
  }

  /** The wait before retry {@code attempt} (0-based). */
  public Duration delay(int attempt) {
    double millis = initial.toMillis() * Math.pow(factor, Math.min(attempt, 60));
    return Duration.ofMillis((long) Math.min(millis, max.toMillis()));
  }
}
