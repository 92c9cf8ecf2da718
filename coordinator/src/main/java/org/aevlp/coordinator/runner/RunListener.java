package org.aevlp.coordinator.runner;

import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunResult;
import org.aevlp.common.runs.RunState;

/**
 * Receives an experiment's progress as it happens (the later ExperimentService streams these).
 * Called on the runner's thread: implementations must return quickly and not block.
 */
public interface RunListener {

  /** The run changed state (RUNNING, PAUSED with the reason, ...). */
  default void onState(RunState state, String message) {}

  /** A training step finished. */
  default void onStep(StepProgress progress) {}

  /** An epoch finished (after validation and checkpoint). */
  default void onEpoch(EpochRecord record, EpochSampleCount samples) {}

  /** The run completed. */
  default void onCompleted(RunResult result) {}

  /** The run failed, with the reason. */
  default void onFailed(String reason) {}

  /** A listener that ignores everything. */
  RunListener NONE = new RunListener() {};
}
