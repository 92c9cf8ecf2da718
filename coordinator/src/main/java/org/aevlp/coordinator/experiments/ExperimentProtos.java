package org.aevlp.coordinator.experiments;

import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunResult;
import org.aevlp.common.runs.RunState;
import org.aevlp.coordinator.runner.StepProgress;
import org.aevlp.proto.v1.EpochResult;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.FinalResult;

/** Conversions from the run store's and the runner's records to the service's messages. */
final class ExperimentProtos {

  private ExperimentProtos() {}

  static ExperimentState state(RunState state) {
    return switch (state) {
      case QUEUED -> ExperimentState.QUEUED;
      case RUNNING -> ExperimentState.RUNNING;
      case PAUSED -> ExperimentState.PAUSED;
      case COMPLETED -> ExperimentState.COMPLETED;
      case FAILED -> ExperimentState.FAILED;
      case CANCELLED -> ExperimentState.CANCELLED;
    };
  }

  static EpochResult epoch(EpochRecord record) {
    return EpochResult.newBuilder()
        .setEpoch(record.epoch())
        .setTrainLoss(record.trainLoss())
        .setValMap(record.valMap())
        .setPlPrecision(record.plPrecision())
        .setPlRecall(record.plRecall())
        .setPlF1(record.plF1())
        .setSamplesTrained(record.samplesTrained())
        .setSamplesSkipped(record.samplesSkipped())
        .setSeconds(record.seconds())
        .setBest(record.best())
        .setMicrobatchesRerun(record.microbatchesRerun())
        .setWorkers(record.workers())
        .build();
  }

  static FinalResult result(RunResult result) {
    return FinalResult.newBuilder()
        .setBestEpoch(result.bestEpoch())
        .setBestValMap(result.bestValMap())
        .setTestMap(result.testMap())
        .addAllTestApPerClass(result.testApPerClass())
        .setPlPrecision(result.plPrecision())
        .setPlRecall(result.plRecall())
        .setPlF1(result.plF1())
        .setSeconds(result.seconds())
        .setStopReason(result.stopReason())
        .setEpochsTrained(result.epochsTrained())
        .build();
  }

  /**
   * A step's progress with throughput and ETA from {@code secondsPerStep}, a smoothed step time.
   * The ETA counts the remaining training steps only (evaluation comes on top).
   */
  static org.aevlp.proto.v1.StepProgress progress(StepProgress step, double secondsPerStep) {
    long remaining = (long) (step.stepsInEpoch() - step.step())
        + (long) Math.max(0, step.numEpochs() - step.epoch()) * step.stepsInEpoch();
    return org.aevlp.proto.v1.StepProgress.newBuilder()
        .setEpoch(step.epoch())
        .setNumEpochs(step.numEpochs())
        .setStep(step.step())
        .setStepsInEpoch(step.stepsInEpoch())
        .setLoss(step.loss())
        .setImagesPerSecond(secondsPerStep > 0 ? step.samples() / secondsPerStep : 0)
        .setEtaSeconds(remaining * secondsPerStep)
        .setWorkers(step.workers())
        .build();
  }
}
