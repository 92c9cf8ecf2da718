package org.aevlp.common.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Reads a manifest of people's own images into an {@link SpmlSplit} (DESIGN.md section 5). Two
 * formats, chosen by the file extension; both UTF-8, one image per line:
 *
 * <ul>
 *   <li>CSV ({@code .csv}): a header line naming the columns {@code path} and {@code labels}, and
 *       optionally {@code observed}, in any order; then one row per image. {@code labels} holds
 *       {@code ;}-separated classes, e.g. {@code dog;person}. Fields may be double-quoted (a quote
 *       inside is doubled), e.g. for paths with commas.
 *   <li>JSON lines ({@code .jsonl} or {@code .ndjson}): one object per line,
 *       {@code {"path": "...", "labels": [...], "observed": "..."}}, {@code observed} optional; no
 *       other keys. Blank lines are skipped.
 * </ul>
 *
 * A class is given by its name in the class-names file or, if no name matches, by its 0-based
 * index. Every image needs at least one label; paths must be distinct. The observed positive, when
 * given, must be one of the image's labels; when absent it is drawn uniformly among them by
 * {@link ObservedPositiveSampler} with the given seed. Errors name the file and line.
 */
public final class ManifestReader {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> COLUMNS = List.of("path", "labels", "observed");

  private ManifestReader() {}

  /** One image of a manifest, classes already resolved; {@code observed} -1 when not given. */
  private record Entry(String path, TreeSet<Integer> positives, int observed) {}

  /** Reads the manifest; images without an observed label get one drawn from {@code observedSeed}. */
  public static SpmlSplit read(Path manifest, ClassNames classes, long observedSeed) throws IOException {
    if (!Files.isRegularFile(manifest)) {
      throw new DatasetFormatException(manifest, "manifest file not found");
    }
    String name = manifest.getFileName().toString().toLowerCase(Locale.ROOT);
    List<Entry> entries;
    if (name.endsWith(".csv")) {
      entries = readCsv(manifest, classes);
    } else if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      entries = readJsonLines(manifest, classes);
    } else {
      throw new DatasetFormatException(manifest, "unknown manifest format; name it .csv or .jsonl");
    }
    if (entries.isEmpty()) {
      throw new DatasetFormatException(manifest, "the manifest lists no images");
    }
    return toSplit(entries, classes.size(), observedSeed);
  }

  private static List<Entry> readCsv(Path file, ClassNames classes) throws IOException {
    List<Entry> entries = new ArrayList<>();
    Map<String, Integer> firstLineOfPath = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String headerLine = reader.readLine();
      if (headerLine == null) {
        throw new DatasetFormatException(file, "empty CSV manifest; line 1 must be the header path,labels");
      }
      List<String> header = new ArrayList<>();
      for (String column : CsvLine.split(stripBom(headerLine), file, 1)) {
        header.add(column.strip());
      }
      int pathColumn = header.indexOf("path");
      int labelsColumn = header.indexOf("labels");
      int observedColumn = header.indexOf("observed");
      boolean known = COLUMNS.containsAll(header) && new TreeSet<>(header).size() == header.size();
      if (pathColumn < 0 || labelsColumn < 0 || !known) {
        throw new DatasetFormatException(
            file, "line 1 must be a header with the columns path and labels (and optionally observed), found "
                + header);
      }
      String text;
      int line = 1;
      while ((text = reader.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        List<String> fields = CsvLine.split(text, file, line);
        if (fields.size() != header.size()) {
          throw new DatasetFormatException(
              file, "line " + line + " has " + fields.size() + " fields, the header " + header.size());
        }
        TreeSet<Integer> positives = new TreeSet<>();
        for (String token : fields.get(labelsColumn).split(";")) {
          if (!token.isBlank()) {
            positives.add(resolve(token.strip(), classes, file, line));
          }
        }
        String observedText = observedColumn < 0 ? "" : fields.get(observedColumn).strip();
        int observed = observedText.isEmpty() ? -1 : resolve(observedText, classes, file, line);
        entries.add(entry(file, line, fields.get(pathColumn).strip(), positives, observed, classes, firstLineOfPath));
      }
    }
    return entries;
  }

  private static List<Entry> readJsonLines(Path file, ClassNames classes) throws IOException {
    List<Entry> entries = new ArrayList<>();
    Map<String, Integer> firstLineOfPath = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      int line = 0;
      while ((text = reader.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode node = parseJson(line == 1 ? stripBom(text) : text, file, line);
        if (!node.isObject()) {
          throw new DatasetFormatException(file, "line " + line + " is not a JSON object");
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
          String key = keys.next();
          if (!COLUMNS.contains(key)) {
            throw new DatasetFormatException(
                file, "line " + line + " has the unknown key '" + key + "'; allowed: " + COLUMNS);
          }
        }
        JsonNode path = node.get("path");
        if (path == null || !path.isTextual()) {
          throw new DatasetFormatException(file, "line " + line + " needs \"path\" as a string");
        }
        JsonNode labels = node.get("labels");
        if (labels == null || !labels.isArray()) {
          throw new DatasetFormatException(file, "line " + line + " needs \"labels\" as an array of classes");
        }
        TreeSet<Integer> positives = new TreeSet<>();
        for (JsonNode label : labels) {
          positives.add(resolve(label, classes, file, line));
        }
        JsonNode observedNode = node.get("observed");
        int observed =
            observedNode == null || observedNode.isNull() ? -1 : resolve(observedNode, classes, file, line);
        entries.add(entry(file, line, path.asText(), positives, observed, classes, firstLineOfPath));
      }
    }
    return entries;
  }

  private static Entry entry(
      Path file,
      int line,
      String path,
      TreeSet<Integer> positives,
      int observed,
      ClassNames classes,
      Map<String, Integer> firstLineOfPath)
      throws DatasetFormatException {
    if (path.isBlank()) {
      throw new DatasetFormatException(file, "line " + line + " has an empty path");
    }
    Integer earlier = firstLineOfPath.putIfAbsent(path, line);
    if (earlier != null) {
      throw new DatasetFormatException(
          file, "line " + line + " repeats the path '" + path + "' (first on line " + earlier + ")");
    }
    if (positives.isEmpty()) {
      throw new DatasetFormatException(file, "line " + line + " has no labels; every image needs at least one");
    }
    if (observed >= 0 && !positives.contains(observed)) {
      List<String> labelNames = new ArrayList<>();
      positives.forEach(c -> labelNames.add(classes.names().get(c)));
      throw new DatasetFormatException(
          file, "line " + line + ": the observed class '" + classes.names().get(observed)
              + "' is not among its labels " + labelNames);
    }
    return new Entry(path, positives, observed);
  }

  private static SpmlSplit toSplit(List<Entry> entries, int numClasses, long observedSeed) {
    ObservedPositiveSampler sampler = new ObservedPositiveSampler(observedSeed);
    List<String> paths = new ArrayList<>(entries.size());
    byte[] labels = new byte[entries.size() * numClasses];
    byte[] observed = new byte[entries.size() * numClasses];
    for (int row = 0; row < entries.size(); row++) {
      Entry entry = entries.get(row);
      paths.add(entry.path());
      int[] positives = entry.positives().stream().mapToInt(Integer::intValue).toArray();
      for (int c : positives) {
        labels[row * numClasses + c] = 1;
      }
      int chosen;
      if (entry.observed() >= 0) {
        sampler.skip();
        chosen = entry.observed();
      } else {
        chosen = sampler.draw(positives);
      }
      observed[row * numClasses + chosen] = 1;
    }
    return new SpmlSplit(
        paths,
        LabelMatrix.adopt(entries.size(), numClasses, labels),
        LabelMatrix.adopt(entries.size(), numClasses, observed));
  }

  private static int resolve(JsonNode label, ClassNames classes, Path file, int line) throws DatasetFormatException {
    if (label.isTextual()) {
      return resolve(label.asText().strip(), classes, file, line);
    }
    if (label.isIntegralNumber() && label.canConvertToInt()) {
      return index(label.asInt(), label.toString(), classes, file, line);
    }
    throw new DatasetFormatException(
        file, "line " + line + ": class " + label + " must be a class name (string) or index (integer)");
  }

  /** A class name if one matches, otherwise a 0-based index. */
  private static int resolve(String token, ClassNames classes, Path file, int line) throws DatasetFormatException {
    OptionalInt named = classes.indexOf(token);
    if (named.isPresent()) {
      return named.getAsInt();
    }
    if (token.matches("-?\\d{1,9}")) {
      return index(Integer.parseInt(token), token, classes, file, line);
    }
    throw new DatasetFormatException(
        file, "line " + line + ": unknown class '" + token + "' (not a class name, nor an index in [0, "
            + classes.size() + "))");
  }

  private static int index(int value, String token, ClassNames classes, Path file, int line)
      throws DatasetFormatException {
    if (value < 0 || value >= classes.size()) {
      throw new DatasetFormatException(
          file, "line " + line + ": class index " + token + " is outside [0, " + classes.size() + ")");
    }
    return value;
  }

  private static JsonNode parseJson(String text, Path file, int line) throws DatasetFormatException {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new DatasetFormatException(
          file, "line " + line + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String stripBom(String line) {
    return line.startsWith("\uFEFF") ? line.substring(1) : line;
  }
}
