package org.aevlp.coordinator.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a runner behaves.
 *
 * @param dataDir where the coordinator finds the dataset's label files; empty: the spec's data_dir
 * @param pauseTimeout how long a run may wait without any live worker before it fails
 * @param maxAttempts attempts at one micro-batch (on different workers) before the run fails
 * @param predictChunk samples per prediction request during evaluation
 * @param workersToStart ready workers needed before the first step (later, any number trains)
 * @param answerTimeout how long a worker may take to answer one command (a micro-batch, a state
 *     publication, a prediction chunk) before it is taken out as hung and its share re-run
 */
public record RunnerSettings(
    Optional<Path> dataDir, Duration pauseTimeout, int maxAttempts, int predictChunk, int workersToStart,
    Duration answerTimeout) {

  public RunnerSettings {
    if (pauseTimeout.isNegative() || pauseTimeout.isZero()) {
      throw new IllegalArgumentException("pause timeout: must be > 0, got " + pauseTimeout);
    }
    if (answerTimeout.isNegative() || answerTimeout.isZero()) {
      throw new IllegalArgumentException("answer timeout: must be > 0, got " + answerTimeout);
    }
    if (maxAttempts < 1 || predictChunk < 1 || workersToStart < 1) {
      throw new IllegalArgumentException("max attempts, predict chunk and workers to start must be >= 1");
    }
  }

  /**
   * Ten minutes of patience without workers, five attempts per micro-batch, 64 samples per
   * prediction request, training starts with the first ready worker, ten minutes for one answer.
   */
  public static RunnerSettings defaults(Optional<Path> dataDir) {
    return new RunnerSettings(dataDir, Duration.ofMinutes(10), 5, 64, 1, Duration.ofMinutes(10));
  }

  public RunnerSettings withPauseTimeout(Duration timeout) {
    return new RunnerSettings(dataDir, timeout, maxAttempts, predictChunk, workersToStart, answerTimeout);
  }

  public RunnerSettings withWorkersToStart(int workers) {
    return new RunnerSettings(dataDir, pauseTimeout, maxAttempts, predictChunk, workers, answerTimeout);
  }

  public RunnerSettings withAnswerTimeout(Duration timeout) {
    return new RunnerSettings(dataDir, pauseTimeout, maxAttempts, predictChunk, workersToStart, timeout);
  }
}
