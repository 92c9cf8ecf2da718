package org.aevlp.common.runs;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A run as read back from its directory: a consistent view of each file at the moment it was read
 * (each file is replaced atomically, so no file is ever seen half-written).
 *
 * @param id run id (the directory name)
 * @param directory the run directory
 * @param specJson content of {@code spec.json}, the experiment spec as JSON
 * @param status content of {@code status.json}
 * @param epochs complete lines of {@code epochs.jsonl}, in order
 * @param result content of {@code result.json}, absent until the run completes
 * @param checkpoints checkpoint files, by (epoch, step)
 * @param best the checkpoint {@code checkpoints/best.json} points at, if any and present
 * @param warnings things skipped while reading (a trailing partial line, a dangling best pointer)
 */
public record StoredRun(
    String id,
    Path directory,
    String specJson,
    RunStatus status,
    List<EpochRecord> epochs,
    Optional<RunResult> result,
    List<CheckpointRef> checkpoints,
    Optional<CheckpointRef> best,
    List<String> warnings) {

  public StoredRun {
    epochs = List.copyOf(epochs);
    checkpoints = List.copyOf(checkpoints);
    warnings = List.copyOf(warnings);
  }

  /** Path of a checkpoint file of this run. */
  public Path checkpointFile(CheckpointRef checkpoint) {
    return directory.resolve(RunLayout.CHECKPOINTS).resolve(checkpoint.fileName());
  }
}
