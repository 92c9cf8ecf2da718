package org.aevlp.cli.client;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.ListExperimentsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** {@code aevlp list}: the coordinator's experiments, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "List experiments, newest first.",
      "Shows id, name, state, epochs done/planned, best val mAP, test mAP, submission time and run directory."
    },
    exitCodeListHeading = ExitCode.HEADING,
    exitCodeList = {ExitCode.LINE_SUCCESS, ExitCode.LINE_BAD_INPUT, ExitCode.LINE_RPC})
public final class ListCommand extends ClientCommand {

  @Option(
      names = "--state",
      paramLabel = "STATE",
      converter = StateConverter.class,
      description = "Only experiments in this state (repeatable): queued, running, paused, completed, failed, cancelled.")
  List<ExperimentState> states = new ArrayList<>();

  @Option(names = "--limit", paramLabel = "N", description = "At most N experiments; 0: all (default: ${DEFAULT-VALUE}).")
  int limit = 0;

  @Override
  int run(ExperimentClient experiments, PrintWriter out, PrintWriter err) {
    if (limit < 0) {
      throw new ParameterException(spec.commandLine(), "--limit: must be >= 0, got " + limit);
    }
    List<Experiment> found = experiments.list(states, limit);
    if (client.output() == OutputFormat.JSON) {
      out.println(ProtoJson.line(ListExperimentsResponse.newBuilder().addAllExperiments(found).build()));
    } else if (found.isEmpty()) {
      out.println("No experiments" + (states.isEmpty() ? "." : " in state " + describe(states) + "."));
    } else {
      out.print(ExperimentViews.listTable(found, zone).render());
    }
    return ExitCode.SUCCESS;
  }

  private static String describe(List<ExperimentState> states) {
    return states.stream().map(ExperimentState::name).collect(Collectors.joining(", "));
  }

  /** Reads a state name in any letter case; the unset and unknown states are refused. */
  static final class StateConverter implements ITypeConverter<ExperimentState> {
    @Override
    public ExperimentState convert(String value) {
      List<ExperimentState> real =
          Arrays.stream(ExperimentState.values())
              .filter(s -> s != ExperimentState.EXPERIMENT_STATE_UNSPECIFIED && s != ExperimentState.UNRECOGNIZED)
              .toList();
      for (ExperimentState state : real) {
        if (state.name().equalsIgnoreCase(value)) {
          return state;
        }
      }
      throw new TypeConversionException(
          "must be one of " + real.stream().map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
              + ", got '" + value + "'");
    }
  }
}
