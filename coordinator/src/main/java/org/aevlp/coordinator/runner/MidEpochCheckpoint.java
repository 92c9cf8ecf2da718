package org.aevlp.coordinator.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.aevlp.common.runs.AtomicFileWriter;
import org.aevlp.common.runs.CheckpointRef;

/**
 * A checkpoint taken inside an epoch ({@code checkpoint_every_steps}) and where the epoch stood:
 * the next step and the tally of the steps before it, so a resume continues the epoch and still
 * counts every sample once. Stored as {@code progress.json} beside the checkpoints; it is written
 * after its checkpoint file, so it never names a checkpoint that is not complete.
 *
 * @param checkpoint the checkpoint file
 * @param step steps of the epoch done (the next one to run, 0-based)
 * @param globalStep steps done since the run started
 * @param batchSize the epoch's global batch size (its plan depends on it)
 * @param tally what those steps added up to
 */
record MidEpochCheckpoint(CheckpointRef checkpoint, int step, long globalStep, int batchSize,
    EpochTally.Snapshot tally) {

  static final String FILE = "progress.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  int epoch() {
    return tally.epoch();
  }

  void write(Path runDir) throws IOException {
    AtomicFileWriter.write(runDir.resolve(FILE), JSON.writeValueAsBytes(this));
  }

  static Optional<MidEpochCheckpoint> read(Path runDir) throws IOException {
    Path file = runDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(JSON.readValue(file.toFile(), MidEpochCheckpoint.class));
  }

  static void delete(Path runDir) throws IOException {
    Files.deleteIfExists(runDir.resolve(FILE));
  }
}
