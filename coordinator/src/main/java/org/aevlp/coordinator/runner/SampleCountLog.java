package org.aevlp.coordinator.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sample-counts.jsonl} in the run directory: one {@link EpochSampleCount} per epoch, so a
 * test (or a person) can check that every sample was trained on exactly once per epoch. Rewritten
 * whole and renamed into place, so readers never see half a file.
 */
public final class SampleCountLog {

  /** File name inside the run directory. */
  public static final String FILE = "sample-counts.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  private SampleCountLog() {}

  static void write(Path runDir, List<EpochSampleCount> counts) throws IOException {
    StringBuilder text = new StringBuilder();
    for (EpochSampleCount count : counts) {
      text.append(JSON.writeValueAsString(count)).append('\n');
    }
    Path temp = runDir.resolve(FILE + ".tmp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, runDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Reads the file of a run directory (empty when no epoch finished). */
  public static List<EpochSampleCount> read(Path runDir) throws IOException {
    Path file = runDir.resolve(FILE);
    List<EpochSampleCount> counts = new ArrayList<>();
    if (!Files.exists(file)) {
      return counts;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        counts.add(JSON.readValue(line, EpochSampleCount.class));
      }
    }
    return counts;
  }
}
