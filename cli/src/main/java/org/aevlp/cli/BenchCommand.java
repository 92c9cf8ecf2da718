package org.aevlp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code aevlp bench}: benchmark programs that print figures measured side by side in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks: programs that print measured figures (not pass/fail tests).",
    subcommands = {TrainStepBenchCommand.class, BenchLabelerCommand.class, BenchClusterCommand.class})
final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
