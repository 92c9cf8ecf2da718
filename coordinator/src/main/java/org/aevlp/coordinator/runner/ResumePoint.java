package org.aevlp.coordinator.runner;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aevlp.common.runs.CheckpointRef;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunDirectory;
import org.aevlp.common.runs.RunStatus;
import org.aevlp.common.runs.StoredRun;

/**
 * Where an interrupted run picks up: its newest epoch checkpoint and what the epochs before it
 * recorded. Epochs after that checkpoint (recorded, but whose checkpoint was not kept) are redone,
 * so their records and sample counts are dropped.
 *
 * @param checkpoint the newest epoch checkpoint
 * @param best the checkpoint best.json points at
 * @param epochs records of epochs 1..checkpoint.epoch(), in order
 * @param sampleCounts sample counts of those epochs
 * @param status the status the run had when it was interrupted
 */
public record ResumePoint(
    CheckpointRef checkpoint,
    Optional<CheckpointRef> best,
    List<EpochRecord> epochs,
    List<EpochSampleCount> sampleCounts,
    RunStatus status) {

  public ResumePoint {
    epochs = List.copyOf(epochs);
    sampleCounts = List.copyOf(sampleCounts);
  }

  /**
   * The resume point of a run directory, or empty when no epoch checkpoint exists (the run starts
   * from the beginning). Truncates {@code epochs.jsonl} after the checkpoint's epoch.
   */
  public static Optional<ResumePoint> of(RunDirectory run) throws IOException {
    StoredRun stored = run.read();
    Optional<CheckpointRef> newest = stored.checkpoints().stream()
        .filter(c -> stored.epochs().stream().anyMatch(e -> e.epoch() == c.epoch()))
        .max(CheckpointRef::compareTo);
    if (newest.isEmpty()) {
      run.truncateEpochsAfter(0);
      return Optional.empty();
    }
    int lastEpoch = newest.get().epoch();
    run.truncateEpochsAfter(lastEpoch);
    List<EpochRecord> kept = stored.epochs().stream().filter(e -> e.epoch() <= lastEpoch).toList();
    List<EpochSampleCount> counts = new ArrayList<>();
    for (EpochSampleCount count : SampleCountLog.read(run.path())) {
      if (count.epoch() <= lastEpoch) {
        counts.add(count);
      }
    }
    Optional<CheckpointRef> best = stored.best().filter(b -> b.epoch() <= lastEpoch);
    return Optional.of(new ResumePoint(newest.get(), best, kept, counts, stored.status()));
  }
}
