package org.aevlp.common.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writing side of one run directory (layout in {@link RunLayout}). Every file is replaced whole
 * with {@link AtomicFileWriter}, so concurrent readers ({@link RunStore#load}) and a crash at any
 * point leave each file either in its previous or its new complete state.
 *
 * <p>One writer per run: {@link RunStore} hands out a single instance per run id, and its
 * read-modify-write operations (epochs, best pointer) are serialized on it. Two processes writing
 * the same run are not supported. Checkpoint bytes are written outside that lock, so a large
 * checkpoint does not hold up status updates.
 */
public final class RunDirectory {

  private final String id;
  private final Path dir;
  private final Path checkpointDir;

  RunDirectory(String id, Path dir) {
    this.id = id;
    this.dir = dir;
    this.checkpointDir = dir.resolve(RunLayout.CHECKPOINTS);
  }

  /** Run id (the directory name). */
  public String id() {
    return id;
  }

  /** The run directory. */
  public Path path() {
    return dir;
  }

  /** Replaces {@code status.json}. */
  public void writeStatus(RunStatus status) throws IOException {
    requireNonNull(status, "status");
    AtomicFileWriter.write(
        dir.resolve(RunLayout.STATUS),
        RunLayout.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(status));
  }

  /**
   * Adds one epoch's result to {@code epochs.jsonl} by rewriting the file atomically with the
   * existing complete lines plus this one (a partial line left by something else is dropped).
   *
   * @throws IllegalArgumentException if {@code record.epoch()} is not after the last recorded
   *     epoch; to redo epochs after a resume, {@link #truncateEpochsAfter} first
   */
  public synchronized void appendEpoch(EpochRecord record) throws IOException {
    requireNonNull(record, "record");
    List<EpochRecord> records = new ArrayList<>(readEpochs());
    if (!records.isEmpty() && record.epoch() <= records.get(records.size() - 1).epoch()) {
      throw new IllegalArgumentException(
          "run "
              + id
              + ": epoch "
              + record.epoch()
              + " must come after the last recorded epoch "
              + records.get(records.size() - 1).epoch());
    }
    records.add(record);
    AtomicFileWriter.write(dir.resolve(RunLayout.EPOCHS), EpochLog.format(records));
  }

  /**
   * Drops the records of epochs after {@code lastKept} (for resuming from an earlier checkpoint).
   */
  public synchronized void truncateEpochsAfter(int lastKept) throws IOException {
    List<EpochRecord> kept = new ArrayList<>();
    for (EpochRecord r : readEpochs()) {
      if (r.epoch() <= lastKept) {
        kept.add(r);
      }
    }
    AtomicFileWriter.write(dir.resolve(RunLayout.EPOCHS), EpochLog.format(kept));
  }

  /** Complete epoch records so far. */
  public List<EpochRecord> readEpochs() throws IOException {
    return EpochLog.read(dir.resolve(RunLayout.EPOCHS), new ArrayList<>());
  }

  /** Writes a checkpoint's bytes; an existing checkpoint of the same epoch and step is replaced. */
  public CheckpointRef writeCheckpoint(int epoch, long step, byte[] bytes) throws IOException {
    requireNonNull(bytes, "bytes");
    return writeCheckpoint(epoch, step, out -> out.write(bytes));
  }

  /** Streams a checkpoint (for ones too large to hold twice in memory). */
  public CheckpointRef writeCheckpoint(int epoch, long step, AtomicFileWriter.Content content)
      throws IOException {
    requireNonNull(content, "content");
    CheckpointRef ref = new CheckpointRef(epoch, step);
    Files.createDirectories(checkpointDir);
    AtomicFileWriter.write(checkpointDir.resolve(ref.fileName()), content);
    return ref;
  }

  /** Checkpoints present, by (epoch, step). */
  public List<CheckpointRef> checkpoints() throws IOException {
    return RunReader.listCheckpoints(checkpointDir);
  }

  /** Reads a checkpoint's bytes. */
  public byte[] readCheckpoint(CheckpointRef checkpoint) throws IOException {
    return Files.readAllBytes(checkpointFile(checkpoint));
  }

  /** Opens a checkpoint for streaming; the caller closes the stream. */
  public InputStream openCheckpoint(CheckpointRef checkpoint) throws IOException {
    return Files.newInputStream(checkpointFile(checkpoint));
  }

  /**
   * Points {@code checkpoints/best.json} at an existing checkpoint.
   *
   * @throws IllegalArgumentException if that checkpoint has not been written
   */
  public synchronized void markBest(CheckpointRef checkpoint) throws IOException {
    requireNonNull(checkpoint, "checkpoint");
    if (!Files.isRegularFile(checkpointFile(checkpoint))) {
      throw new IllegalArgumentException(
          "run " + id + ": cannot mark " + checkpoint.fileName() + " as best, it does not exist");
    }
    ObjectNode pointer = RunLayout.JSON.createObjectNode();
    pointer.put("epoch", checkpoint.epoch());
    pointer.put("step", checkpoint.step());
    pointer.put("file", checkpoint.fileName());
    AtomicFileWriter.write(
        checkpointDir.resolve(RunLayout.BEST),
        RunLayout.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(pointer));
  }

  /**
   * Deletes a checkpoint that is no longer needed.
   *
   * @throws IllegalStateException if it is the one {@code best.json} points at
   */
  public synchronized void deleteCheckpoint(CheckpointRef checkpoint) throws IOException {
    requireNonNull(checkpoint, "checkpoint");
    if (RunReader.readBestPointer(checkpointDir).filter(checkpoint::equals).isPresent()) {
      throw new IllegalStateException(
          "run " + id + ": " + checkpoint.fileName() + " is the best checkpoint, not deleting it");
    }
    Files.deleteIfExists(checkpointFile(checkpoint));
    AtomicFileWriter.syncDirectory(checkpointDir);
  }

  /** Writes {@code result.json}. */
  public void writeResult(RunResult result) throws IOException {
    requireNonNull(result, "result");
    AtomicFileWriter.write(
        dir.resolve(RunLayout.RESULT),
        RunLayout.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
  }

  /** Reads the run back as readers see it. */
  public StoredRun read() throws IOException {
    return RunReader.read(id, dir);
  }

  /** Deletes temporary files a crashed writer left behind; only safe for the run's sole writer. */
  int deleteLeftoverTempFiles() throws IOException {
    return deleteTempFilesIn(dir) + deleteTempFilesIn(checkpointDir);
  }

  private static int deleteTempFilesIn(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path f : files) {
        if (AtomicFileWriter.isTemporary(f.getFileName().toString()) && Files.deleteIfExists(f)) {
          deleted++;
        }
      }
    }
    return deleted;
  }

  private Path checkpointFile(CheckpointRef checkpoint) {
    requireNonNull(checkpoint, "checkpoint");
    return checkpointDir.resolve(checkpoint.fileName());
  }

  private static void requireNonNull(Object value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
  }
}
