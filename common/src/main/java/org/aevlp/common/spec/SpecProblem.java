package org.aevlp.common.spec;

import java.util.Objects;

/**
 * One thing wrong with an experiment spec: the field (or, for unreadable documents, the file) and
 * the rule it breaks. Prints as {@code field: rule}.
 */
public record SpecProblem(String field, String rule) {

  public SpecProblem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(rule, "rule");
  }

  @Override
  public String toString() {
    return field + ": " + rule;
  }
}
