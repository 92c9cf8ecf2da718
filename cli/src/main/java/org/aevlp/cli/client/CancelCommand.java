package org.aevlp.cli.client;

import java.io.PrintWriter;
import org.aevlp.proto.v1.CancelResponse;
import org.aevlp.proto.v1.ExperimentState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code aevlp cancel ID}: stops a queued or running experiment. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Cancel a queued or running experiment.",
      "It stops at its next step boundary (checkpoints are kept). Prints the state after the request."
    },
    exitCodeListHeading = ExitCode.HEADING,
    exitCodeList = {ExitCode.LINE_SUCCESS, ExitCode.LINE_BAD_INPUT, ExitCode.LINE_RPC})
public final class CancelCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "Experiment id.")
  String experimentId;

  @Override
  int run(ExperimentClient experiments, PrintWriter out, PrintWriter err) {
    ExperimentState state = experiments.cancel(experimentId);
    if (client.output() == OutputFormat.JSON) {
      out.println(ProtoJson.line(CancelResponse.newBuilder().setState(state).build()));
    } else if (state == ExperimentState.CANCELLED) {
      out.println("Experiment " + experimentId + ": CANCELLED");
    } else {
      out.println("Experiment " + experimentId + " had already ended: " + state.name());
    }
    return ExitCode.SUCCESS;
  }
}
