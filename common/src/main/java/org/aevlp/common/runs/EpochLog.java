package org.aevlp.common.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and formats {@code epochs.jsonl}: one JSON {@link EpochRecord} per line, each line ended by
 * {@code '\n'}.
 *
 * <p>Writers never append in place: {@link RunDirectory#appendEpoch} rewrites the whole file with
 * {@link AtomicFileWriter}, so a reader sees every complete version of it. Readers still treat a
 * last line without its newline as not written (it is skipped and reported as a warning), so a file
 * cut short by something else (a copy taken mid-write, a non-atomic tool) never yields a half
 * record; the next append then drops that fragment. A malformed <em>complete</em> line is an error
 * naming the line.
 */
final class EpochLog {

  private EpochLog() {}

  static List<EpochRecord> read(Path file, List<String> warnings) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException notYet) {
      return List.of();
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<EpochRecord> records = new ArrayList<>();
    int lineNumber = 0;
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        warnings.add(
            file.getFileName()
                + ": ignored a partial last line ("
                + (text.length() - start)
                + " characters without a newline)");
        break;
      }
      lineNumber++;
      String line = text.substring(start, end).strip();
      start = end + 1;
      if (line.isEmpty()) {
        continue;
      }
      try {
        records.add(RunLayout.JSON.readValue(line, EpochRecord.class));
      } catch (JsonProcessingException e) {
        throw new IOException(
            file
                + " line "
                + lineNumber
                + " is not a valid epoch record: "
                + e.getOriginalMessage(),
            e);
      }
    }
    return records;
  }

  static byte[] format(List<EpochRecord> records) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (EpochRecord r : records) {
      out.write(RunLayout.JSON.writeValueAsBytes(r));
      out.write('\n');
    }
    return out.toByteArray();
  }
}
