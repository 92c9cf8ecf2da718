package org.aevlp.common.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Loads a dataset described by manifests ({@link ManifestReader}) into the same
 * {@link SpmlDataset} the formatted layout gives: the train manifest plays the official training
 * split (divided into train and validation by {@link TrainValSplitter}), the test manifest the
 * official test split.
 *
 * <p>Directory layout of {@link #load(Path, SplitOptions, OptionalInt, long)}:
 * {@code classnames.txt}, {@code train.csv} or {@code train.jsonl}, {@code test.csv} or
 * {@code test.jsonl}; image paths relative to that directory.
 *
 * <p>Observed positives that the manifests do not give are drawn from two seeds derived from
 * {@code observedSeed}: the first and second {@code nextLong()} of
 * {@code new SplittableRandom(observedSeed)} seed the train and the test manifest.
 */
public final class ManifestLoader {

  /** Name of the class-names file in a manifest directory. */
  public static final String CLASS_NAMES_FILE = "classnames.txt";

  private ManifestLoader() {}

  /** Loads the manifests of a directory laid out as described in the class comment. */
  public static SpmlDataset load(Path dir, SplitOptions options, OptionalInt expectedClasses, long observedSeed)
      throws IOException {
    return load(
        manifestIn(dir, "train"),
        manifestIn(dir, "test"),
        dir.resolve(CLASS_NAMES_FILE),
        dir,
        options,
        expectedClasses,
        observedSeed);
  }

  /** Loads explicit manifest and class-names files; image paths are relative to {@code imageRoot}. */
  public static SpmlDataset load(
      Path trainManifest,
      Path testManifest,
      Path classNamesFile,
      Path imageRoot,
      SplitOptions options,
      OptionalInt expectedClasses,
      long observedSeed)
      throws IOException {
    ClassNames classes = ClassNames.read(classNamesFile);
    if (expectedClasses.isPresent() && classes.size() != expectedClasses.getAsInt()) {
      throw new DatasetFormatException(
          classNamesFile, "lists " + classes.size() + " classes but the experiment expects "
              + expectedClasses.getAsInt() + " (num_classes)");
    }
    SplittableRandom seeds = new SplittableRandom(observedSeed);
    SpmlSplit officialTrain = ManifestReader.read(trainManifest, classes, seeds.nextLong());
    SpmlSplit officialTest = ManifestReader.read(testManifest, classes, seeds.nextLong());
    return SpmlDataset.fromOfficialSplits(
        officialTrain,
        officialTest,
        options,
        classes.names(),
        imageRoot,
        List.of(classNamesFile, trainManifest, testManifest));
  }

  /** The one manifest named {@code <stem>.csv} or {@code <stem>.jsonl} in the directory. */
  static Path manifestIn(Path dir, String stem) throws DatasetFormatException {
    List<Path> found = new ArrayList<>();
    for (String extension : List.of(".csv", ".jsonl")) {
      Path candidate = dir.resolve(stem + extension);
      if (Files.isRegularFile(candidate)) {
        found.add(candidate);
      }
    }
    if (found.isEmpty()) {
      throw new DatasetFormatException(
          dir.resolve(stem + ".csv"), "file not found (nor " + stem + ".jsonl); a manifest directory needs "
              + CLASS_NAMES_FILE + ", train.{csv,jsonl} and test.{csv,jsonl}");
    }
    if (found.size() > 1) {
      throw new DatasetFormatException(
          found.get(0), "both " + stem + ".csv and " + stem + ".jsonl exist; keep one");
    }
    return found.get(0);
  }
}
