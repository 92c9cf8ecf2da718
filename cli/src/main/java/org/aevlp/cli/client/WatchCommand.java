package org.aevlp.cli.client;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code aevlp watch ID}: follows an experiment until it ends. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Follow an experiment to its end.",
      "Shows its history so far, then live progress (epoch, step, loss, images/s, ETA), a line per finished epoch "
          + "(train loss, val mAP, pseudo-label P/R/F1), state changes and the final result.",
      "With --output json: one event per line as JSON."
    },
    exitCodeListHeading = ExitCode.HEADING,
    exitCodeList = {
      ExitCode.LINE_SUCCESS, ExitCode.LINE_FAILED, ExitCode.LINE_BAD_INPUT, ExitCode.LINE_CANCELLED, ExitCode.LINE_RPC
    })
public final class WatchCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "Experiment id (from submit or list).")
  String experimentId;

  @Override
  int run(ExperimentClient experiments, PrintWriter out, PrintWriter err) {
    return new ExperimentFollower(experiments).follow(experimentId, watchRenderer(out));
  }
}
