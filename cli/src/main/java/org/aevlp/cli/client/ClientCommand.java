package org.aevlp.cli.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every client command does around its call: connect with the shared options, run, and turn
 * an expected failure into one line on stderr and its exit code (no stack trace).
 */
abstract class ClientCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ClientOptions client;

  /** Times are printed in the local time zone. */
  final ZoneId zone = ZoneId.systemDefault();

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ExperimentClient experiments;
    try {
      experiments = ExperimentClient.connect(client.coordinator(), client.security(System.getenv()));
    } catch (IOException | IllegalArgumentException e) {
      err.println(prefix() + e.getMessage());
      return ExitCode.BAD_INPUT;
    }
    try (experiments) {
      return run(experiments, out, err);
    } catch (CoordinatorException e) {
      out.flush();
      err.println(prefix() + e.getMessage());
      return e.exitCode();
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The command's work; expected failures are {@link CoordinatorException}s. */
  abstract int run(ExperimentClient experiments, PrintWriter out, PrintWriter err);

  /** {@code aevlp NAME: }, the start of every error line. */
  final String prefix() {
    return "aevlp " + spec.name() + ": ";
  }

  /** The renderer of a Watch stream for the chosen output. */
  final WatchRenderer watchRenderer(PrintWriter out) {
    if (client.output() == OutputFormat.JSON) {
      return new JsonLinesRenderer(out);
    }
    // System.console() is null when stdout (or stdin) is not a terminal: no carriage-return redraw in logs.
    return new ProgressRenderer(out, System.console() != null, ProgressRenderer.DEFAULT_PLAIN_INTERVAL);
  }
}
