package org.aevlp.cli;

import picocli.CommandLine;

/** Test access to the {@code aevlp} command line for tests outside this package. */
public final class AevlpCommandLines {

  private AevlpCommandLines() {}

  /** A fresh {@code aevlp} command line with every subcommand, as {@code main} builds it. */
  public static CommandLine newCommandLine() {
    return AevlpCommand.newCommandLine();
  }
}
