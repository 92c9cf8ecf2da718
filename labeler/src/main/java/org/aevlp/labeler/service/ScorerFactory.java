package org.aevlp.labeler.service;

import java.io.IOException;
import org.aevlp.labeler.scorer.Scorer;

/** Builds the scorer a labeler process runs, from its command-line choice. */
@FunctionalInterface
public interface ScorerFactory {

  /**
   * @throws IllegalArgumentException if the name is unknown
   * @throws UnsupportedOperationException if this build cannot construct that scorer
   * @throws IOException if the scorer's files cannot be read
   */
  Scorer create(ScorerChoice choice) throws IOException;
}
