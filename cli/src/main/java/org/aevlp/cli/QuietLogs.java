package org.aevlp.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the project's INFO logs off the terminal of interactive commands (demo, local), whose
 * progress display says the same more readably; warnings and errors still show.
 */
final class QuietLogs {

  private QuietLogs() {}

  static void apply() {
    if (LoggerFactory.getLogger("org.aevlp") instanceof Logger logger) {
      logger.setLevel(Level.WARN);
    }
  }
}
