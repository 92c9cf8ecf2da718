package org.aevlp.common.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Collects spec problems with the wording every rule shares ({@code must be in [0, 1], got 1.5}).
 * Range checks are written so that NaN fails them.
 */
final class ProblemList {

  private final List<SpecProblem> problems = new ArrayList<>();

  void add(String field, String rule) {
    problems.add(new SpecProblem(field, rule));
  }

  List<SpecProblem> toList() {
    return List.copyOf(problems);
  }

  void oneOf(String field, String value, Collection<String> allowed) {
    if (!allowed.contains(value)) {
      add(field, "must be one of " + String.join(", ", allowed) + ", got \"" + value + "\"");
    }
  }

  void atLeast(String field, long value, long min) {
    if (value < min) {
      add(field, "must be >= " + min + ", got " + value);
    }
  }

  void between(String field, long value, long min, long max) {
    if (value < min || value > max) {
      add(field, "must be in [" + min + ", " + max + "], got " + value);
    }
  }

  void positive(String field, double value) {
    positive(field, field, value);
  }

  /** {@code name} is the quantity inside {@code field} (e.g. sigma_0 inside alpha). */
  void positive(String field, String name, double value) {
    if (!(value > 0)) {
      add(field, prefix(field, name) + "must be > 0, got " + number(value));
    } else if (Double.isInfinite(value)) {
      // 1e400 in JSON reads as Infinity; an infinite rate or temperature trains NaNs
      add(field, prefix(field, name) + "must be finite, got " + number(value));
    }
  }

  void nonNegative(String field, double value) {
    if (!(value >= 0)) {
      add(field, "must be >= 0, got " + number(value));
    } else if (Double.isInfinite(value)) {
      add(field, "must be finite, got " + number(value));
    }
  }

  /** value in [min, max]. */
  void closed(String field, double value, double min, double max) {
    closed(field, field, value, min, max);
  }

  void closed(String field, String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      add(field, prefix(field, name) + "must be in [" + number(min) + ", " + number(max) + "], got " + number(value));
    }
  }

  /** value in (min, max]. */
  void openClosed(String field, double value, double min, double max) {
    openClosed(field, field, value, min, max);
  }

  void openClosed(String field, String name, double value, double min, double max) {
    if (!(value > min && value <= max)) {
      add(field, prefix(field, name) + "must be in (" + number(min) + ", " + number(max) + "], got " + number(value));
    }
  }

  /** value in [min, max). */
  void closedOpen(String field, double value, double min, double max) {
    if (!(value >= min && value < max)) {
      add(field, "must be in [" + number(min) + ", " + number(max) + "), got " + number(value));
    }
  }

  /** value in (min, max). */
  void open(String field, double value, double min, double max) {
    if (!(value > min && value < max)) {
      add(field, "must be in (" + number(min) + ", " + number(max) + "), got " + number(value));
    }
  }

  void finite(String field, List<Double> values) {
    for (int i = 0; i < values.size(); i++) {
      if (!Double.isFinite(values.get(i))) {
        add(field, "element " + i + " must be finite, got " + number(values.get(i)));
      }
    }
  }

  /** A number as a person writes it: 1 rather than 1.0, 0.5, 1.0E-5. */
  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  private static String prefix(String field, String name) {
    return name.equals(field) ? "" : name + " ";
  }
}
