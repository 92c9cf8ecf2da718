package org.aevlp.common.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.aevlp.common.npy.NpyArray;
import org.aevlp.common.npy.NpyDtype;
import org.aevlp.common.npy.NpyReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the "formatted" layout most single-positive multi-label code uses (DESIGN.md section 5):
 * per phase {@code train} and {@code val}, a directory holds
 *
 * <ul>
 *   <li>{@code formatted_{phase}_images.npy}: 1-D {@code <U} array of image paths;
 *   <li>{@code formatted_{phase}_labels.npy}: N x C clean multi-hot labels in {0, 1};
 *   <li>{@code formatted_{phase}_labels_obs.npy}: N x C observed labels in {-1, 0, 1} with exactly
 *       one +1 per row. Some preprocessing scripts write {@code formatted_{phase}_{bias}_labels_obs.npy}
 *       instead; that name is used when the plain one is missing (and logged, and listed in
 *       {@link SpmlDataset#sourceFiles()}).
 * </ul>
 *
 * Labels may be stored in any numeric dtype the {@link NpyReader} reads. The official train phase
 * becomes train and validation ({@link TrainValSplitter}); the official val phase is the test set.
 * Image paths are taken relative to the directory.
 */
public final class FormattedSpmlLoader {

  private static final Logger LOG = LoggerFactory.getLogger(FormattedSpmlLoader.class);

  private FormattedSpmlLoader() {}

  /**
   * Reads and checks both phases and splits them.
   *
   * @param expectedClasses the class count the experiment expects; empty to accept the files'
   */
  public static SpmlDataset load(Path dir, SplitOptions options, OptionalInt expectedClasses) throws IOException {
    Path trainImages = requireFile(dir.resolve(imagesName("train")));
    Path trainLabels = requireFile(dir.resolve(labelsName("train")));
    Path trainObserved = observedLabelsFile(dir, "train");
    Path testImages = requireFile(dir.resolve(imagesName("val")));
    Path testLabels = requireFile(dir.resolve(labelsName("val")));
    Path testObserved = observedLabelsFile(dir, "val");

    SpmlSplit officialTrain = readSplit(trainImages, trainLabels, trainObserved);
    SpmlSplit officialTest = readSplit(testImages, testLabels, testObserved);
    if (officialTest.numClasses() != officialTrain.numClasses()) {
      throw new DatasetFormatException(
          testLabels, "has " + officialTest.numClasses() + " classes (columns) but " + trainLabels.getFileName()
              + " has " + officialTrain.numClasses() + "; both phases need the same classes");
    }
    if (expectedClasses.isPresent() && officialTrain.numClasses() != expectedClasses.getAsInt()) {
      throw new DatasetFormatException(
          trainLabels, "has " + officialTrain.numClasses() + " classes (columns) but the experiment expects "
              + expectedClasses.getAsInt() + " (num_classes)");
    }
    return SpmlDataset.fromOfficialSplits(
        officialTrain,
        officialTest,
        options,
        List.of(),
        dir,
        List.of(trainImages, trainLabels, trainObserved, testImages, testLabels, testObserved));
  }

  /**
   * The observed-label file of a phase: {@code formatted_{phase}_labels_obs.npy}, or else the only
   * {@code formatted_{phase}_{bias}_labels_obs.npy}.
   */
  public static Path observedLabelsFile(Path dir, String phase) throws IOException {
    Path plain = dir.resolve("formatted_" + phase + "_labels_obs.npy");
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    List<Path> biased = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> matches =
          Files.newDirectoryStream(dir, "formatted_" + phase + "_*_labels_obs.npy")) {
        matches.forEach(biased::add);
      }
    }
    biased.sort(null);
    if (biased.isEmpty()) {
      throw new DatasetFormatException(
          plain, "file not found (nor a biased formatted_" + phase + "_{bias}_labels_obs.npy); " + layoutHint());
    }
    if (biased.size() > 1) {
      throw new DatasetFormatException(
          plain, "file not found and several biased variants exist " + fileNames(biased)
              + "; keep one or copy the one to use to this name");
    }
    LOG.info("{} not found, using the observed labels of {}", plain.getFileName(), biased.get(0));
    return biased.get(0);
  }

  /** Reads one phase and checks its three files against each other. */
  public static SpmlSplit readSplit(Path imagesFile, Path labelsFile, Path observedFile) throws IOException {
    List<String> paths = imagePaths(NpyReader.read(imagesFile));
    NpyArray labelArray = requireMatrix(NpyReader.read(labelsFile));
    NpyArray observedArray = requireMatrix(NpyReader.read(observedFile));
    requireRows(labelArray, paths.size(), imagesFile);
    requireRows(observedArray, paths.size(), imagesFile);
    if (observedArray.cols() != labelArray.cols()) {
      throw new DatasetFormatException(
          observedFile, "has " + observedArray.cols() + " columns but " + labelsFile.getFileName() + " has "
              + labelArray.cols());
    }
    LabelMatrix labels = labelMatrix(labelArray, false);
    LabelMatrix observed = labelMatrix(observedArray, true);
    for (int row = 0; row < observed.rows(); row++) {
      int[] positives = observed.positives(row);
      if (positives.length != 1) {
        throw new DatasetFormatException(
            observedFile, "row " + row + " has " + positives.length
                + " positive entries (+1); observed labels need exactly one per row");
      }
      if (labels.get(row, positives[0]) != 1) {
        throw new DatasetFormatException(
            labelsFile, "row " + row + " lacks class " + positives[0] + ", the observed positive in "
                + observedFile.getFileName() + "; clean labels must contain it");
      }
    }
    return new SpmlSplit(paths, labels, observed);
  }

  private static List<String> imagePaths(NpyArray array) throws DatasetFormatException {
    if (array.dtype() != NpyDtype.UNICODE || array.rank() != 1) {
      throw new DatasetFormatException(
          array.source(), "expected a 1-D array of image paths (<U), found " + array.descr() + " of shape "
              + array.shape());
    }
    List<String> paths = array.toStrings();
    for (int row = 0; row < paths.size(); row++) {
      if (paths.get(row).isEmpty()) {
        throw new DatasetFormatException(array.source(), "row " + row + " has an empty image path");
      }
    }
    return paths;
  }

  private static NpyArray requireMatrix(NpyArray array) throws DatasetFormatException {
    if (!array.dtype().isNumeric() || array.rank() != 2) {
      throw new DatasetFormatException(
          array.source(), "expected a 2-D numeric label matrix (N x C), found " + array.descr() + " of shape "
              + array.shape());
    }
    return array;
  }

  private static void requireRows(NpyArray labels, int images, Path imagesFile) throws DatasetFormatException {
    if (labels.rows() != images) {
      throw new DatasetFormatException(
          labels.source(), "has " + labels.rows() + " rows but " + imagesFile.getFileName() + " lists " + images
              + " images");
    }
  }

  /** Converts to bytes, accepting exactly 0 and 1 (and -1 for observed labels). */
  private static LabelMatrix labelMatrix(NpyArray array, boolean observed) throws DatasetFormatException {
    int rows = array.rows();
    int cols = array.cols();
    byte[] values = new byte[rows * cols];
    for (int i = 0; i < values.length; i++) {
      double v = array.getDouble(i);
      if (v == 1.0 || v == 0.0 || (observed && v == -1.0)) {
        values[i] = (byte) v;
      } else {
        throw new DatasetFormatException(
            array.source(), "row " + i / cols + ", column " + i % cols + " holds " + v
                + (observed ? "; observed labels must be -1, 0 or 1" : "; clean labels must be 0 or 1"));
      }
    }
    return LabelMatrix.adopt(rows, cols, values);
  }

  private static Path requireFile(Path file) throws DatasetFormatException {
    if (!Files.isRegularFile(file)) {
      throw new DatasetFormatException(file, "file not found; " + layoutHint());
    }
    return file;
  }

  private static String layoutHint() {
    return "the formatted SPML layout needs formatted_{train,val}_images.npy, formatted_{train,val}_labels.npy"
        + " and formatted_{train,val}_labels_obs.npy";
  }

  private static String imagesName(String phase) {
    return "formatted_" + phase + "_images.npy";
  }

  private static String labelsName(String phase) {
    return "formatted_" + phase + "_labels.npy";
  }

  private static List<String> fileNames(List<Path> files) {
    List<String> names = new ArrayList<>();
    files.forEach(f -> names.add(f.getFileName().toString()));
    return names;
  }
}
