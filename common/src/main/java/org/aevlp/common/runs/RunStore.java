package org.aevlp.common.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run directories under one root, one per experiment (layout in {@link RunLayout}).
 *
 * <ul>
 *   <li>A run appears whole: {@link #create} fills a hidden staging directory and renames it to the
 *       run id, so a listed run always has its spec and status.
 *   <li>Every file is replaced atomically (temp file, fsync, rename, directory fsync: {@link
 *       AtomicFileWriter}); {@code epochs.jsonl} is rewritten that way on each append, and its
 *       reader also ignores a trailing line without a newline ({@link EpochLog}).
 *   <li>Readers ({@link #load}, {@link #list}) never take locks and may run in other processes;
 *       each file they return is a complete version, though two files may be from different moments
 *       (e.g. a status newer than the last epoch line).
 *   <li>One writing process per root: {@link #create} and {@link #open} hand out one {@link
 *       RunDirectory} per run id, and {@link #open} removes temporary files a crashed writer left.
 * </ul>
 */
public final class RunStore {

  private static final Logger LOG = LoggerFactory.getLogger(RunStore.class);

  private final Path root;
  private final ConcurrentMap<String, RunDirectory> writers = new ConcurrentHashMap<>();

  private RunStore(Path root) {
    this.root = root;
  }

  /** A store rooted at {@code root}, created if missing. */
  public static RunStore open(Path root) throws IOException {
    if (root == null) {
      throw new IllegalArgumentException("run store root must not be null");
    }
    Path absolute = root.toAbsolutePath().normalize();
    Files.createDirectories(absolute);
    return new RunStore(absolute);
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  /**
   * Creates run {@code id} with its spec and first status.
   *
   * @param specJson the experiment spec as a JSON object (e.g. protobuf JsonFormat output); stored
   *     as given
   * @throws IllegalArgumentException for an invalid id or a spec that is not a JSON object
   * @throws FileAlreadyExistsException if the run exists
   */
  public synchronized RunDirectory create(String id, String specJson, RunStatus status)
      throws IOException {
    requireValidId(id);
    requireJsonObject(specJson);
    if (status == null) {
      throw new IllegalArgumentException("status must not be null");
    }
    Path target = root.resolve(id);
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(
          target.toString(), null, "run " + id + " already exists");
    }
    Path staging =
        root.resolve(
            "."
                + id
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + RunLayout.STAGING_SUFFIX);
    Files.createDirectory(staging);
    boolean moved = false;
    try {
      AtomicFileWriter.write(
          staging.resolve(RunLayout.SPEC), specJson.getBytes(StandardCharsets.UTF_8));
      new RunDirectory(id, staging).writeStatus(status);
      Files.createDirectory(staging.resolve(RunLayout.CHECKPOINTS));
      AtomicFileWriter.syncDirectory(staging);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      AtomicFileWriter.syncDirectory(root);
    } finally {
      if (!moved) {
        deleteTree(staging);
      }
    }
    RunDirectory run = new RunDirectory(id, target);
    writers.put(id, run);
    return run;
  }

  /**
   * The writer of an existing run (e.g. to resume it). The first call per run removes temporary
   * files a crashed writer left behind.
   *
   * @throws NoSuchFileException if the run does not exist
   */
  public RunDirectory open(String id) throws IOException {
    requireValidId(id);
    Path dir = root.resolve(id);
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no run " + id);
    }
    try {
      return writers.computeIfAbsent(
          id,
          key -> {
            RunDirectory run = new RunDirectory(key, dir);
            try {
              int removed = run.deleteLeftoverTempFiles();
              if (removed > 0) {
                LOG.info(
                    "run {}: removed {} temporary file(s) left by an interrupted write",
                    key,
                    removed);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            return run;
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Reads run {@code id}; empty if there is no such run.
   *
   * @throws IOException if the run exists but a required file is missing or malformed (the message
   *     names the file)
   */
  public Optional<StoredRun> load(String id) throws IOException {
    requireValidId(id);
    Path dir = root.resolve(id);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    return Optional.of(RunReader.read(id, dir));
  }

  /** Ids of all runs, sorted. Staging and hidden directories are not runs. */
  public List<String> ids() throws IOException {
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (RunLayout.isValidRunId(name) && Files.isDirectory(p)) {
          ids.add(name);
        }
      }
    }
    ids.sort(Comparator.naturalOrder());
    return ids;
  }

  /**
   * Reads every run, sorted by id. A run that cannot be read (a damaged file) is left out and
   * logged with the reason, so one bad directory does not hide the others; {@link #load} reports
   * the same error as an exception.
   */
  public List<StoredRun> list() throws IOException {
    List<StoredRun> runs = new ArrayList<>();
    for (String id : ids()) {
      try {
        load(id).ifPresent(runs::add);
      } catch (IOException e) {
        LOG.warn("run {} skipped: {}", id, e.getMessage());
      }
    }
    return runs;
  }

  private static void requireValidId(String id) {
    if (!RunLayout.isValidRunId(id)) {
      throw new IllegalArgumentException(
          "run id \""
              + id
              + "\" is invalid: use 1-128 of [A-Za-z0-9_.-], starting with a letter"
              + " or digit, not ending in "
              + AtomicFileWriter.TEMP_SUFFIX
              + " or "
              + RunLayout.STAGING_SUFFIX);
    }
  }

  private static void requireJsonObject(String specJson) {
    if (specJson == null) {
      throw new IllegalArgumentException("specJson must not be null");
    }
    JsonNode node;
    try {
      node = RunLayout.JSON.readTree(specJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "specJson is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("specJson must be a JSON object");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
