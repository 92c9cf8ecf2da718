package org.aevlp.coordinator.experiments;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.aevlp.common.runs.RunDirectory;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStatus;
import org.aevlp.proto.v1.EpochResult;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.proto.v1.FinalResult;
import org.aevlp.proto.v1.StateChange;
import org.aevlp.proto.v1.StepProgress;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What the manager knows of one experiment: its record as the service shows it, the event history
 * a late watcher replays, and the current watchers. Owned by the manager actor and only touched on
 * its thread.
 */
final class ExperimentEntry {

  /** Weight of the newest step in the smoothed step time behind throughput and ETA. */
  private static final double STEP_TIME_SMOOTHING = 0.2;

  final String id;
  final String requestId;
  final long sequence;
  final ExperimentSpec spec;
  final RunDirectory run;
  RunStatus status;
  private final List<EpochResult> epochs = new ArrayList<>();
  private Optional<StepProgress> progress = Optional.empty();
  private Optional<FinalResult> result = Optional.empty();
  private final List<ExperimentEvent> history = new ArrayList<>();
  private int progressIndex = -1;
  private long nextEventSequence = 1;
  private double secondsPerStep = Double.NaN;
  final Set<ActorRef<ExperimentManager.WatchFeed>> watchers = new LinkedHashSet<>();

  ExperimentEntry(String id, String requestId, long sequence, ExperimentSpec spec, RunDirectory run,
      RunStatus status) {
    this.id = id;
    this.requestId = requestId;
    this.sequence = sequence;
    this.spec = spec;
    this.run = run;
    this.status = status;
  }

  /** The record the service returns. */
  Experiment toProto() {
    Experiment.Builder b = Experiment.newBuilder()
        .setExperimentId(id)
        .setSpec(spec)
        .setState(ExperimentProtos.state(status.state()))
        .setError(status.message())
        .setSubmittedAtMs(status.submittedAtMs())
        .setStartedAtMs(status.startedAtMs())
        .setFinishedAtMs(status.finishedAtMs())
        .addAllEpochs(epochs)
        .setRunDir(run.path().toString());
    progress.ifPresent(b::setProgress);
    result.ifPresent(b::setResult);
    return b.build();
  }

  ExperimentEvent stateChanged(RunStatus next, long nowMs) {
    status = next;
    return record(ExperimentEvent.newBuilder().setState(StateChange.newBuilder()
        .setState(ExperimentProtos.state(next.state())).setMessage(next.message())), nowMs);
  }

  ExperimentEvent epochEnded(EpochResult epoch, long nowMs) {
    epochs.removeIf(e -> e.getEpoch() >= epoch.getEpoch());
    epochs.add(epoch);
    return record(ExperimentEvent.newBuilder().setEpoch(epoch), nowMs);
  }

  ExperimentEvent completed(FinalResult finalResult, long nowMs) {
    result = Optional.of(finalResult);
    return record(ExperimentEvent.newBuilder().setResult(finalResult), nowMs);
  }

  /** Only the newest progress event stays in the history: a late watcher needs where it is now. */
  ExperimentEvent stepped(org.aevlp.coordinator.runner.StepProgress step, long nowMs) {
    secondsPerStep = Double.isNaN(secondsPerStep) ? step.stepSeconds()
        : STEP_TIME_SMOOTHING * step.stepSeconds() + (1 - STEP_TIME_SMOOTHING) * secondsPerStep;
    StepProgress proto = ExperimentProtos.progress(step, secondsPerStep);
    progress = Optional.of(proto);
    ExperimentEvent event = stamp(ExperimentEvent.newBuilder().setProgress(proto), nowMs);
    if (progressIndex >= 0) {
      history.remove(progressIndex);
    }
    progressIndex = history.size();
    history.add(event);
    return event;
  }

  /**
   * Whether nothing more will happen: a terminal state, and for COMPLETED also its result (which
   * the runner reports right after the state change; the result is a watch stream's last event).
   */
  boolean ended() {
    return status.state().isTerminal() && (status.state() != RunState.COMPLETED || result.isPresent());
  }

  /** Events so far, oldest first. */
  List<ExperimentEvent> history() {
    return List.copyOf(history);
  }

  private ExperimentEvent record(ExperimentEvent.Builder builder, long nowMs) {
    ExperimentEvent event = stamp(builder, nowMs);
    history.add(event);
    return event;
  }

  private ExperimentEvent stamp(ExperimentEvent.Builder builder, long nowMs) {
    return builder.setSequence(nextEventSequence++).setTimeMs(nowMs).setExperimentId(id).build();
  }
}
