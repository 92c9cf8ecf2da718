package org.aevlp.common.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads one run directory into a {@link StoredRun}. Only final file names are read: temporary files
 * ({@code .*.tmp}) are invisible, so a crash mid-write never shows up as data.
 */
final class RunReader {

  private RunReader() {}

  static StoredRun read(String id, Path dir) throws IOException {
    List<String> warnings = new ArrayList<>();
    String spec = readSpec(dir.resolve(RunLayout.SPEC));
    RunStatus status = readJson(dir.resolve(RunLayout.STATUS), RunStatus.class);
    List<EpochRecord> epochs = EpochLog.read(dir.resolve(RunLayout.EPOCHS), warnings);
    Optional<RunResult> result = Optional.empty();
    Path resultFile = dir.resolve(RunLayout.RESULT);
    if (Files.exists(resultFile)) {
      result = Optional.of(readJson(resultFile, RunResult.class));
    }
    Path checkpointDir = dir.resolve(RunLayout.CHECKPOINTS);
    List<CheckpointRef> checkpoints = listCheckpoints(checkpointDir);
    Optional<CheckpointRef> best = readBest(checkpointDir, checkpoints, warnings);
    return new StoredRun(id, dir, spec, status, epochs, result, checkpoints, best, warnings);
  }

  static List<CheckpointRef> listCheckpoints(Path checkpointDir) throws IOException {
    List<CheckpointRef> refs = new ArrayList<>();
    if (!Files.isDirectory(checkpointDir)) {
      return refs;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(checkpointDir)) {
      for (Path f : files) {
        CheckpointRef.parse(f.getFileName().toString()).ifPresent(refs::add);
      }
    }
    Collections.sort(refs);
    return refs;
  }

  private static Optional<CheckpointRef> readBest(
      Path checkpointDir, List<CheckpointRef> present, List<String> warnings) throws IOException {
    Optional<CheckpointRef> best = readBestPointer(checkpointDir);
    if (best.isPresent() && !present.contains(best.get())) {
      warnings.add(RunLayout.BEST + " points at " + best.get().fileName() + ", which is missing");
      return Optional.empty();
    }
    return best;
  }

  /** The checkpoint {@code best.json} names, whether or not its file exists. */
  static Optional<CheckpointRef> readBestPointer(Path checkpointDir) throws IOException {
    Path file = checkpointDir.resolve(RunLayout.BEST);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    JsonNode node = readJson(file, JsonNode.class);
    JsonNode epoch = node.get("epoch");
    JsonNode step = node.get("step");
    if (epoch == null || !epoch.canConvertToInt() || step == null || !step.canConvertToLong()) {
      throw new IOException(file + " must hold integer fields \"epoch\" and \"step\", got " + node);
    }
    return Optional.of(new CheckpointRef(epoch.asInt(), step.asLong()));
  }

  private static String readSpec(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    JsonNode node;
    try {
      node = RunLayout.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IOException(file + " must hold a JSON object");
    }
    return text;
  }

  static <T> T readJson(Path file, Class<T> type) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "required run file is missing");
    }
    try {
      T value = RunLayout.JSON.readValue(bytes, type);
      if (value == null) {
        throw new IOException(file + " is empty");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new IOException(
          file + " is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }
}
