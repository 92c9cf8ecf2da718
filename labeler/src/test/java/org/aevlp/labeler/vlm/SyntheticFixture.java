package org.aevlp.labeler.vlm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;

/**
 * One small synthetic dataset per test JVM (generated on first use, deleted at exit): 8 SPML
 * training images, 40 test images and 700 captioned images; plus a copy of its captions directory
 * alone, under a parent that holds nothing else, for code that must not touch SPML files.
 */
final class SyntheticFixture {

  static final int CAPTIONS = 700;
  static final int TEST_IMAGES = 40;

  /** Captioned images in {@link #smallCaptions()}. */
  static final int SMALL_CAPTIONS = 96;

  private static Path dataset;
  private static Path captionsOnly;
  private static Path smallCaptions;

  private SyntheticFixture() {}

  /** The dataset root (formatted SPML files, classnames.txt, captions/). */
  static synchronized Path dataset() {
    if (dataset == null) {
      try {
        Path root = Files.createTempDirectory("aevlp-vlm-test-");
        deleteAtExit(root);
        Path dir = root.resolve("synthetic");
        new SyntheticDatasetGenerator(2)
            .generate(dir, SyntheticSpec.defaults().withCounts(8, TEST_IMAGES, CAPTIONS), done -> {});
        Path onlyRoot = root.resolve("captions-only");
        copyTree(dir.resolve(SyntheticDatasetGenerator.CAPTIONS_DIR), onlyRoot.resolve("captions"));
        Path small = root.resolve("captions-small").resolve("captions");
        copyFirstCaptions(dir, small, SMALL_CAPTIONS);
        dataset = dir;
        captionsOnly = onlyRoot.resolve("captions");
        smallCaptions = small;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return dataset;
  }

  /** A captions directory whose parent holds nothing but it. */
  static synchronized Path captionsOnly() {
    dataset();
    return captionsOnly;
  }

  /** A captions directory of the first {@link #SMALL_CAPTIONS} captioned images only. */
  static synchronized Path smallCaptions() {
    dataset();
    return smallCaptions;
  }

  private static void copyFirstCaptions(Path dataset, Path to, int count) throws IOException {
    Path from = dataset.resolve(SyntheticDatasetGenerator.CAPTIONS_DIR);
    List<String> lines =
        Files.readAllLines(from.resolve(SyntheticDatasetGenerator.CAPTIONS_FILE)).subList(0, count);
    Files.createDirectories(to.resolve(SyntheticDatasetGenerator.IMAGES_DIR));
    Files.write(to.resolve(SyntheticDatasetGenerator.CAPTIONS_FILE), lines);
    for (String line : lines) {
      String path = new ObjectMapper().readTree(line).get("path").asText();
      Files.copy(dataset.resolve(path), to.getParent().resolve(path));
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.sorted().toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  private static void deleteAtExit(Path root) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        // best effort: the directory is under the system temp dir
      }
    }));
  }
}
