package org.aevlp.cli.client;

import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.ExperimentState;

/**
 * Follows one experiment's Watch stream to its end and turns how it ended into an exit code; used
 * by {@code watch} and {@code submit --watch}.
 */
public final class ExperimentFollower {

  private final ExperimentClient client;

  public ExperimentFollower(ExperimentClient client) {
    this.client = client;
  }

  /**
   * Streams the experiment's events into {@code renderer} until the stream ends.
   *
   * @return {@link ExitCode#forFinalState} of the final state; when the stream ends without one (a
   *     coordinator restart, say) the experiment is looked up once, and if it has still not ended a
   *     {@link CoordinatorException} says so
   */
  public int follow(String experimentId, WatchRenderer renderer) {
    LastState last = new LastState();
    try {
      client.watch(experimentId, event -> {
        last.update(event);
        renderer.onEvent(event);
      });
    } finally {
      renderer.end();
    }
    ExperimentState state = last.state;
    if (!ExitCode.isFinal(state)) {
      state = client.get(experimentId).getState();
    }
    if (!ExitCode.isFinal(state)) {
      throw new CoordinatorException(
          "the watch stream ended before experiment " + experimentId + " did (now " + state.name()
              + "); run `aevlp watch " + experimentId + "` again",
          ExitCode.RPC_ERROR);
    }
    return ExitCode.forFinalState(state);
  }

  /** The state the events seen so far put the experiment in; a final result means COMPLETED. */
  private static final class LastState {
    private ExperimentState state = ExperimentState.EXPERIMENT_STATE_UNSPECIFIED;

    void update(ExperimentEvent event) {
      if (event.hasState()) {
        state = event.getState().getState();
      } else if (event.hasResult()) {
        state = ExperimentState.COMPLETED;
      }
    }
  }
}
