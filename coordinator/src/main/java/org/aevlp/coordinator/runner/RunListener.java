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

  /** A listener telling {@code first}, then {@code second}. */
  static RunListener both(RunListener first, RunListener second) {
    return new RunListener() {
      @Override
      public void onState(RunState state, String message) {
        first.onState(state, message);
        second.onState(state, message);
      }

      @Override
      public void onStep(StepProgress progress) {
        first.onStep(progress);
        second.onStep(progress);
      }

      @Override
      public void onEpoch(EpochRecord record, EpochSampleCount samples) {
        first.onEpoch(record, samples);
        second.onEpoch(record, samples);
      }

      @Override
      public void onCompleted(RunResult result) {
        first.onCompleted(result);
        second.onCompleted(result);
      }

      @Override
      public void onFailed(String reason) {
        first.onFailed(reason);
        second.onFailed(reason);
      }
    };
  }
}
