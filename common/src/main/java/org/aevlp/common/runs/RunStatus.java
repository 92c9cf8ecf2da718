package org.aevlp.common.runs;

/**
 * Current state of a run ({@code status.json}).
 *
 * @param state lifecycle state
 * @param message why the run failed, paused or was cancelled; empty otherwise
 * @param submittedAtMs submission time, ms since the Unix epoch
 * @param startedAtMs first entry into {@link RunState#RUNNING} (0: not started)
 * @param finishedAtMs entry into a terminal state (0: not finished)
 */
public record RunStatus(
    RunState state, String message, long submittedAtMs, long startedAtMs, long finishedAtMs) {

  public RunStatus {
    if (state == null) {
      throw new IllegalArgumentException("status.state must be set");
    }
    message = message == null ? "" : message;
    if (submittedAtMs < 0 || startedAtMs < 0 || finishedAtMs < 0) {
      throw new IllegalArgumentException(
          "status times must be >= 0 (submittedAtMs "
              + submittedAtMs
              + ", startedAtMs "
              + startedAtMs
              + ", finishedAtMs "
              + finishedAtMs
              + ")");
    }
  }

  /** A run just submitted. */
  public static RunStatus queued(long nowMs) {
    return new RunStatus(RunState.QUEUED, "", nowMs, 0, 0);
  }

  /**
   * This status moved to {@code next}: the start time is set on the first entry into RUNNING and
   * the finish time on entry into a terminal state.
   *
   * @throws IllegalStateException when this status is already terminal
   */
  public RunStatus moveTo(RunState next, String why, long nowMs) {
    if (state.isTerminal()) {
      throw new IllegalStateException("run already ended as " + state + ", cannot move to " + next);
    }
    long started = startedAtMs == 0 && next == RunState.RUNNING ? nowMs : startedAtMs;
    long finished = next.isTerminal() ? nowMs : 0;
    return new RunStatus(next, why, submittedAtMs, started, finished);
  }
}
