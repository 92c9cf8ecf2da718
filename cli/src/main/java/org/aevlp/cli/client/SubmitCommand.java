package org.aevlp.cli.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.aevlp.common.spec.ParsedSpec;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecJson;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.proto.v1.SubmitRequest;
import org.aevlp.proto.v1.SubmitResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aevlp submit CONFIG}: queues an experiment on the coordinator, optionally following it. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Submit an experiment spec to the coordinator.",
      "CONFIG is JSON with the reference keys (configs/*.json); it is checked here first, every problem named "
          + "with its field. Prints the experiment id; a retry with the same --request-id never queues a second "
          + "experiment."
    },
    exitCodeListHeading = ExitCode.HEADING,
    exitCodeList = {
      ExitCode.LINE_SUCCESS, ExitCode.LINE_FAILED, ExitCode.LINE_BAD_INPUT, ExitCode.LINE_CANCELLED, ExitCode.LINE_RPC
    })
public final class SubmitCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "CONFIG", description = "Experiment spec file (JSON).")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override one spec key (repeatable); VALUE is JSON where it can be (8, 1e-4, true, [0,2,-2,-2]), else a string.")
  List<String> assignments = new ArrayList<>();

  @Option(names = "--name", paramLabel = "NAME", description = "Experiment name shown by `aevlp list` (the spec's name key).")
  String name;

  @Option(
      names = "--request-id",
      paramLabel = "ID",
      description = "Idempotency key (default: a fresh UUID); submitting again with the same ID returns the first experiment.")
  String requestId;

  @Option(names = "--watch", description = "Then follow the experiment to its end, as `aevlp watch` does.")
  boolean watch;

  @Override
  int run(ExperimentClient experiments, PrintWriter out, PrintWriter err) {
    ParsedSpec parsed;
    try {
      parsed = readSpec();
    } catch (IOException e) {
      err.println(prefix() + "cannot read " + config + ": " + e.getMessage());
      return ExitCode.BAD_INPUT;
    } catch (SpecException e) {
      err.println(prefix() + e.getMessage());
      return ExitCode.BAD_INPUT;
    }
    String id = requestId != null ? requestId : UUID.randomUUID().toString();
    SubmitResponse response =
        experiments.submit(SubmitRequest.newBuilder().setRequestId(id).setSpec(parsed.spec()).build());
    if (client.output() == OutputFormat.JSON) {
      for (String warning : parsed.warnings()) {
        err.println(prefix() + "warning: " + warning);
      }
      out.println(ProtoJson.line(response));
    } else {
      out.print(confirmation(response, id, parsed.warnings()));
    }
    out.flush();
    if (!watch) {
      return ExitCode.SUCCESS;
    }
    return new ExperimentFollower(experiments).follow(response.getExperimentId(), watchRenderer(out));
  }

  /**
   * The spec as it will be sent: the file, then --set, then --name; checked with the same
   * defaults and rules as the coordinator's, but sent without the defaults (the coordinator fills them).
   */
  private ParsedSpec readSpec() throws IOException, SpecException {
    ParsedSpec parsed = SpecOverrides.apply(SpecJson.parse(config), assignments);
    if (name != null) {
      ExperimentSpec named = parsed.spec().toBuilder().setName(name).build();
      parsed = new ParsedSpec(named, parsed.warnings());
    }
    SpecLoader.builtIn().resolve(parsed.spec(), config.toString());
    return parsed;
  }

  /** Table mode: a sentence with the id, then the warnings from reading the spec and from the coordinator. */
  static String confirmation(SubmitResponse response, String requestId, List<String> localWarnings) {
    StringBuilder text = new StringBuilder();
    String id = response.getExperimentId();
    if (response.getDuplicate()) {
      text.append("Experiment ").append(id).append(" was already submitted with request id ").append(requestId)
          .append("; nothing new was queued.\n");
    } else {
      text.append("Submitted experiment ").append(id)
          .append(response.getQueuePosition() == 0 ? "; it starts now" : "; queue position " + response.getQueuePosition())
          .append(" (request id ").append(requestId).append(").\n");
    }
    List<String> warnings = new ArrayList<>(localWarnings);
    warnings.addAll(response.getWarningsList());
    for (String warning : warnings) {
      text.append("warning: ").append(warning).append('\n');
    }
    text.append("Follow it with: aevlp watch ").append(id).append('\n');
    return text.toString();
  }
}
