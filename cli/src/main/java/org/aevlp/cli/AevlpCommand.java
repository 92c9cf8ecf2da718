package org.aevlp.cli;

import org.aevlp.cli.client.CancelCommand;
import org.aevlp.cli.client.GetCommand;
import org.aevlp.cli.client.ListCommand;
import org.aevlp.cli.client.SubmitCommand;
import org.aevlp.cli.client.WatchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code aevlp} command: entry point of every role and tool of aevlp-cluster. */
@Command(
    name = "aevlp",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Single-positive multi-label training with AEVLP (GPR loss + DAMP pseudo-labels) on a cluster.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      LocalCommand.class,
      CompareCommand.class,
      DatasetCommand.class,
      CoordinatorCommand.class,
      WorkerCommand.class,
      LabelerCommand.class,
      BenchCommand.class,
      SubmitCommand.class,
      WatchCommand.class,
      ListCommand.class,
      GetCommand.class,
      CancelCommand.class
    })
public final class AevlpCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The command line with every subcommand registered (tests drive it with their own out/err writers). */
  public static CommandLine newCommandLine() {
    return new CommandLine(new AevlpCommand());
  }
}
