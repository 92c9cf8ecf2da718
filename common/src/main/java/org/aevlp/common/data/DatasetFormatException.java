package org.aevlp.common.data;

import java.io.IOException;
import java.nio.file.Path;

/** Dataset files that break a rule of their layout; the message names the file (and line or row). */
public final class DatasetFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with the message {@code "<file>: <rule>"}. */
  public DatasetFormatException(Path file, String rule) {
    super(file + ": " + rule);
  }

  /** Creates the exception with the message {@code "<file>: <rule>"}, keeping the cause. */
  public DatasetFormatException(Path file, String rule, Throwable cause) {
    super(file + ": " + rule, cause);
  }
}
