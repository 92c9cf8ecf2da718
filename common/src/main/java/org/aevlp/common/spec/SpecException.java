package org.aevlp.common.spec;

import java.util.List;

/** An experiment spec that cannot be used, with every problem found (not just the first). */
public final class SpecException extends Exception {

  private final transient List<SpecProblem> problems;

  public SpecException(String source, List<SpecProblem> problems) {
    super(message(source, problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a SpecException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** The problems, in the order they were found. */
  public List<SpecProblem> problems() {
    return problems;
  }

  private static String message(String source, List<SpecProblem> problems) {
    StringBuilder text = new StringBuilder("invalid experiment spec");
    if (source != null && !source.isEmpty()) {
      text.append(" (").append(source).append(')');
    }
    for (SpecProblem problem : problems) {
      text.append("\n  ").append(problem);
    }
    return text.toString();
  }
}
