package org.aevlp.common.npy;

import java.io.IOException;
import java.nio.file.Path;

/** A {@code .npy} file that cannot be read: wrong magic, bad header, unsupported dtype, truncated data. */
public final class NpyFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message is prefixed with the file so every report names it. */
  public NpyFormatException(Path file, String rule) {
    super(file + ": " + rule);
  }
}
