package org.aevlp.common.spec;

import java.util.List;
import java.util.Objects;
import org.aevlp.proto.v1.ExperimentSpec;

/**
 * A spec read from JSON, with the warnings reading it produced (keys that only mean something to
 * the reference implementation and were ignored).
 */
public record ParsedSpec(ExperimentSpec spec, List<String> warnings) {

  public ParsedSpec {
    Objects.requireNonNull(spec, "spec");
    warnings = List.copyOf(warnings);
  }
}
