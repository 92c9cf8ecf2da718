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
 * recorded, and, when one was taken after it, the mid-epoch checkpoint inside the next epoch.
 * Epochs recorded after the epoch checkpoint (whose checkpoint was not kept) are redone, so their
 * records and sample counts are dropped.
 *
 * @param checkpoint the newest epoch checkpoint (empty: none was written)
 * @param best the checkpoint best.json points at
 * @param epochs records of epochs 1..checkpoint's epoch, in order
 * @param sampleCounts sample counts of those epochs
 * @param midEpoch a checkpoint inside the following epoch, to continue that epoch from
 * @param status the status the run had when it was interrupted
 */
public record ResumePoint(
    Optional<CheckpointRef> checkpoint,
    Optional<CheckpointRef> best,
    List<EpochRecord> epochs,
    List<EpochSampleCount> sampleCounts,
    Optional<MidEpochCheckpoint> midEpoch,
    RunStatus status) {

  public ResumePoint {
    epochs = List.copyOf(epochs);
    sampleCounts = List.copyOf(sampleCounts);
  }

  /** Epochs completed before the resume point. */
  int epochsDone() {
    return checkpoint.map(CheckpointRef::epoch).orElse(0);
  }

  /**
   * The resume point of a run directory, or empty when it holds no checkpoint to continue from
   * (the run starts from the beginning). Truncates {@code epochs.jsonl} after the epoch
   * checkpoint's epoch.
   */
  public static Optional<ResumePoint> of(RunDirectory run) throws IOException {
    StoredRun stored = run.read();
    Optional<CheckpointRef> newest = stored.checkpoints().stream()
        .filter(c -> stored.epochs().stream().anyMatch(e -> e.epoch() == c.epoch()))
        .max(CheckpointRef::compareTo);
    int lastEpoch = newest.map(CheckpointRef::epoch).orElse(0);
    Optional<MidEpochCheckpoint> midEpoch = MidEpochCheckpoint.read(run.path())
        .filter(m -> m.epoch() == lastEpoch + 1 && stored.checkpoints().contains(m.checkpoint()));
    run.truncateEpochsAfter(lastEpoch);
    if (newest.isEmpty() && midEpoch.isEmpty()) {
      return Optional.empty();
    }
    List<EpochRecord> kept = stored.epochs().stream().filter(e -> e.epoch() <= lastEpoch).toList();
    List<EpochSampleCount> counts = new ArrayList<>();
    for (EpochSampleCount count : SampleCountLog.read(run.path())) {
      if (count.epoch() <= lastEpoch) {
        counts.add(count);
      }
    }
    Optional<CheckpointRef> best = stored.best().filter(b -> b.epoch() <= lastEpoch);
    return Optional.of(new ResumePoint(newest, best, kept, counts, midEpoch, stored.status()));
  }
}
