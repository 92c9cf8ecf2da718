package org.aevlp.cli.client;

import java.io.PrintWriter;
import org.aevlp.proto.v1.Experiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code aevlp get ID}: one experiment in detail. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Show one experiment in detail.",
      "State and times, a spec summary, the per-epoch table and the result."
    },
    exitCodeListHeading = ExitCode.HEADING,
    exitCodeList = {ExitCode.LINE_SUCCESS, ExitCode.LINE_BAD_INPUT, ExitCode.LINE_RPC})
public final class GetCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "Experiment id.")
  String experimentId;

  @Override
  int run(ExperimentClient experiments, PrintWriter out, PrintWriter err) {
    Experiment experiment = experiments.get(experimentId);
    out.print(client.output() == OutputFormat.JSON
        ? ProtoJson.line(experiment) + "\n"
        : ExperimentViews.detail(experiment, zone));
    return ExitCode.SUCCESS;
  }
}
