package org.aevlp.cli;

import org.aevlp.labeler.service.ScorerChoice;
import org.aevlp.labeler.service.ScorerFactory;

/**
 * The scorers this build of {@code aevlp} can construct for {@code aevlp labeler} and {@code aevlp
 * bench labeler}: an unknown name is a usage error; a known scorer whose loader is not part of
 * this build is refused with "scorer X is not available in this build".
 */
final class LabelerScorers {

  private LabelerScorers() {}

  static ScorerFactory forThisBuild() {
    return choice -> {
      if (!ScorerChoice.KNOWN.contains(choice.name())) {
        throw new IllegalArgumentException(
            "--scorer: unknown scorer \"" + choice.name() + "\"; known: " + String.join(", ", ScorerChoice.KNOWN));
      }
      throw new UnsupportedOperationException("scorer " + choice.name() + " is not available in this build");
    };
  }
}
