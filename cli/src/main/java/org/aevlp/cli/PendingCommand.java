package org.aevlp.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Subcommands whose implementation has not landed yet. Each one is listed in {@code aevlp --help}
 * with what it will do, and running it says plainly that it is not available yet (exit code 3)
 * instead of pretending to work.
 */
enum PendingCommand {
  DEMO("demo", "Embedded cluster demo: AEVLP vs AN on synthetic data.", "issue #6 (experiments and demo)"),
  LOCAL("local", "Embedded cluster for any config (--config FILE --workers N).", "issue #6");

  static final int EXIT_NOT_AVAILABLE = 3;

  private final String commandName;
  private final String purpose;
  private final String arrivesWith;

  PendingCommand(String commandName, String purpose, String arrivesWith) {
    this.commandName = commandName;
    this.purpose = purpose;
    this.arrivesWith = arrivesWith;
  }

  String commandName() {
    return commandName;
  }

  /** A picocli command that accepts any arguments and reports that it is not available yet. */
  CommandSpec toSpec() {
    Callable<Integer> notAvailable =
        () -> {
          System.err.println(
              "aevlp " + commandName + ": not available yet in this build (arrives with " + arrivesWith + ").");
          return EXIT_NOT_AVAILABLE;
        };
    CommandSpec spec = CommandSpec.wrapWithoutInspection(notAvailable);
    spec.name(commandName);
    spec.mixinStandardHelpOptions(true);
    spec.parser().unmatchedArgumentsAllowed(true);
    spec.usageMessage(
        new UsageMessageSpec()
            .description(purpose + " [not available yet: " + arrivesWith + "]"));
    return spec;
  }

  static void addAllTo(CommandLine commandLine) {
    for (PendingCommand pending : values()) {
      commandLine.addSubcommand(pending.commandName, new CommandLine(pending.toSpec()));
    }
  }
}
