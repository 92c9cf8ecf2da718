package org.aevlp.common.runs;

/** Lifecycle of a run, as the coordinator records it (mirrors aevlp.v1.ExperimentState). */
public enum RunState {
  /** Accepted and waiting for workers. */
  QUEUED,
  /** Training or evaluating. */
  RUNNING,
  /** Running but waiting for a live worker. */
  PAUSED,
  /** Finished with a final test result. */
  COMPLETED,
  /** Stopped by an error. */
  FAILED,
  /** Stopped by a cancel request. */
  CANCELLED;

  /** True for states a run never leaves. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
