package org.aevlp.cli;

import picocli.CommandLine;

/** Reports the version recorded in the jar manifest (or "dev" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = AevlpCommand.class.getPackage().getImplementationVersion();
    return new String[] {"aevlp " + (v == null ? "dev" : v)};
  }
}
