package org.aevlp.common.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.aevlp.common.npy.NpyFormatException;
import org.aevlp.common.npy.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormattedSpmlLoaderTest {

  @TempDir Path dir;

  /** The clean labels of npy/spml_tiny's training images, as make_fixtures.py writes them. */
  private static final Map<String, byte[]> TINY_TRAIN_LABELS = Map.of(
      "JPEGImages/2008_000001.jpg", new byte[] {1, 0, 0, 1},
      "JPEGImages/été.jpg", new byte[] {0, 1, 0, 0},
      "JPEGImages/c.jpg", new byte[] {1, 1, 1, 0},
      "JPEGImages/d.jpg", new byte[] {0, 0, 0, 1},
      "JPEGImages/e.jpg", new byte[] {0, 0, 1, 1},
      "JPEGImages/f.jpg", new byte[] {1, 0, 0, 0});

  @Test
  void loadsNumpyWrittenDatasetAndSplitsTheOfficialTrainSet() throws Exception {
    Path tiny = tinyFixture();
    SpmlDataset data = FormattedSpmlLoader.load(tiny, SplitOptions.of(1.0 / 3, 1200), OptionalInt.of(4));

    assertEquals(4, data.numClasses());
    assertEquals(4, data.train().size());
    assertEquals(2, data.val().size());
    Set<String> seen = new HashSet<>(data.train().imagePaths());
    seen.addAll(data.val().imagePaths());
    assertEquals(TINY_TRAIN_LABELS.keySet(), seen);
    for (SpmlSplit split : List.of(data.train(), data.val())) {
      for (int row = 0; row < split.size(); row++) {
        String path = split.imagePaths().get(row);
        assertArrayEquals(toFloats(TINY_TRAIN_LABELS.get(path)), split.labels().rowAsFloats(row), path);
        int observed = split.observed().positives(row)[0];
        assertEquals(1, split.labels().get(row, observed), path);
      }
    }

    SpmlSplit test = data.test();
    assertEquals(List.of("JPEGImages/v1.jpg", "JPEGImages/v2.jpg", "JPEGImages/v3.jpg"), test.imagePaths());
    assertEquals(LabelMatrix.ofRows(4, new byte[] {0, 1, 1, 0}, new byte[] {1, 0, 0, 0}, new byte[] {0, 0, 0, 1}),
        test.labels());
    assertEquals(-1, test.observed().get(0, 1));
    assertEquals(1, test.observed().get(0, 2));
    assertEquals(tiny, data.imageRoot());
    assertTrue(data.classNames().isEmpty());
  }

  @Test
  void reportsWhichObservedLabelFileWasUsed() throws Exception {
    Path tiny = tinyFixture();
    SpmlDataset data = FormattedSpmlLoader.load(tiny, SplitOptions.of(0.3, 1), OptionalInt.empty());

    assertTrue(data.sourceFiles().contains(tiny.resolve("formatted_train_labels_obs.npy")));
    assertTrue(data.sourceFiles().contains(tiny.resolve("formatted_val_uniform_labels_obs.npy")));
    assertEquals(tiny.resolve("formatted_val_uniform_labels_obs.npy"),
        FormattedSpmlLoader.observedLabelsFile(tiny, "val"));
  }

  @Test
  void prefersThePlainObservedNameOverBiasedOnes() throws IOException {
    writeValidDataset();
    Files.copy(dir.resolve("formatted_train_labels_obs.npy"), dir.resolve("formatted_train_rand_labels_obs.npy"));

    assertEquals(dir.resolve("formatted_train_labels_obs.npy"), FormattedSpmlLoader.observedLabelsFile(dir, "train"));
  }

  @Test
  void rejectsSeveralBiasedObservedFiles() throws IOException {
    writeValidDataset();
    Files.move(dir.resolve("formatted_train_labels_obs.npy"), dir.resolve("formatted_train_a_labels_obs.npy"));
    Files.copy(dir.resolve("formatted_train_a_labels_obs.npy"), dir.resolve("formatted_train_b_labels_obs.npy"));

    assertRejected(dir.resolve("formatted_train_labels_obs.npy"),
        "several biased variants exist [formatted_train_a_labels_obs.npy, formatted_train_b_labels_obs.npy]");
  }

  @Test
  void namesTheMissingFile() throws IOException {
    writeValidDataset();
    Files.delete(dir.resolve("formatted_val_labels.npy"));

    assertRejected(dir.resolve("formatted_val_labels.npy"), "file not found; the formatted SPML layout needs");
  }

  @Test
  void namesTheMissingObservedFile() throws IOException {
    writeValidDataset();
    Files.delete(dir.resolve("formatted_train_labels_obs.npy"));

    assertRejected(dir.resolve("formatted_train_labels_obs.npy"),
        "file not found (nor a biased formatted_train_{bias}_labels_obs.npy)");
  }

  @Test
  void rejectsImageCountThatDiffersFromLabelRows() throws IOException {
    writeValidDataset();
    NpyWriter.writeUnicode(dir.resolve("formatted_train_images.npy"), List.of("a.jpg", "b.jpg", "c.jpg"));

    assertRejected(dir.resolve("formatted_train_labels.npy"),
        "has 4 rows but formatted_train_images.npy lists 3 images");
  }

  @Test
  void rejectsObservedMatrixWithOtherColumnCount() throws IOException {
    writeValidDataset();
    matrix("formatted_val_labels_obs.npy", new double[][] {{1, 0}, {0, 1}});

    assertRejected(dir.resolve("formatted_val_labels_obs.npy"), "has 2 columns but formatted_val_labels.npy has 3");
  }

  @Test
  void rejectsPhasesWithDifferentClassCounts() throws IOException {
    writeValidDataset();
    matrix("formatted_val_labels.npy", new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}});
    matrix("formatted_val_labels_obs.npy", new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}});

    assertRejected(dir.resolve("formatted_val_labels.npy"),
        "has 4 classes (columns) but formatted_train_labels.npy has 3; both phases need the same classes");
  }

  @Test
  void rejectsClassCountOtherThanExpected() throws IOException {
    writeValidDataset();

    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> FormattedSpmlLoader.load(dir, SplitOptions.of(0.25, 0), OptionalInt.of(20)));
    assertEquals(dir.resolve("formatted_train_labels.npy")
        + ": has 3 classes (columns) but the experiment expects 20 (num_classes)", e.getMessage());
  }

  @Test
  void rejectsObservedRowWithTwoPositives() throws IOException {
    writeValidDataset();
    matrix("formatted_train_labels_obs.npy", new double[][] {{1, 0, 0}, {0, 1, 0}, {1, 0, 1}, {1, 0, 0}});

    assertRejected(dir.resolve("formatted_train_labels_obs.npy"),
        "row 2 has 2 positive entries (+1); observed labels need exactly one per row");
  }

  @Test
  void rejectsObservedRowWithoutPositive() throws IOException {
    writeValidDataset();
    matrix("formatted_train_labels_obs.npy", new double[][] {{1, 0, 0}, {0, 0, -1}, {0, 0, 0}, {1, 0, 0}});

    assertRejected(dir.resolve("formatted_train_labels_obs.npy"), "row 1 has 0 positive entries (+1)");
  }

  @Test
  void rejectsCleanLabelsWithoutTheObservedPositive() throws IOException {
    writeValidDataset();
    matrix("formatted_train_labels_obs.npy", new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}});

    assertRejected(dir.resolve("formatted_train_labels.npy"),
        "row 3 lacks class 2, the observed positive in formatted_train_labels_obs.npy; clean labels must contain it");
  }

  @Test
  void rejectsCleanLabelThatIsNotZeroOrOne() throws IOException {
    writeValidDataset();
    matrix("formatted_train_labels.npy", new double[][] {{1, 0, 0}, {0, 1, 0.5}, {1, 0, 1}, {1, 1, 0}});

    assertRejected(dir.resolve("formatted_train_labels.npy"),
        "row 1, column 2 holds 0.5; clean labels must be 0 or 1");
  }

  @Test
  void rejectsCleanLabelOfMinusOne() throws IOException {
    writeValidDataset();
    matrix("formatted_val_labels.npy", new double[][] {{1, -1, 0}, {0, 1, 1}});

    assertRejected(dir.resolve("formatted_val_labels.npy"), "row 0, column 1 holds -1.0; clean labels must be 0 or 1");
  }

  @Test
  void rejectsImagesFileThatIsNotStrings() throws IOException {
    writeValidDataset();
    matrix("formatted_val_images.npy", new double[][] {{1}, {2}});

    assertRejected(dir.resolve("formatted_val_images.npy"),
        "expected a 1-D array of image paths (<U), found <f8 of shape [2, 1]");
  }

  @Test
  void rejectsEmptyImagePath() throws IOException {
    writeValidDataset();
    NpyWriter.writeUnicode(dir.resolve("formatted_val_images.npy"), List.of("v0.jpg", ""));

    assertRejected(dir.resolve("formatted_val_images.npy"), "row 1 has an empty image path");
  }

  @Test
  void passesOnNpyErrorsNamingTheFile() throws IOException {
    writeValidDataset();
    Files.writeString(dir.resolve("formatted_train_labels.npy"), "not numpy");

    NpyFormatException e = assertThrows(NpyFormatException.class,
        () -> FormattedSpmlLoader.load(dir, SplitOptions.of(0.25, 0), OptionalInt.empty()));
    assertTrue(e.getMessage().startsWith(dir.resolve("formatted_train_labels.npy") + ": not a NumPy .npy file"),
        e.getMessage());
  }

  @Test
  void loadsDatasetWrittenByNpyWriter() throws IOException {
    writeValidDataset();

    SpmlDataset data = FormattedSpmlLoader.load(dir, SplitOptions.of(0.25, 0), OptionalInt.of(3));

    assertEquals(3, data.train().size());
    assertEquals(1, data.val().size());
    assertEquals(List.of("v0.jpg", "v1.jpg"), data.test().imagePaths());
  }

  /** Train: 4 images x 3 classes; val: 2 images; all rules satisfied. */
  private void writeValidDataset() throws IOException {
    NpyWriter.writeUnicode(dir.resolve("formatted_train_images.npy"), List.of("t0.jpg", "t1.jpg", "t2.jpg", "t3.jpg"));
    matrix("formatted_train_labels.npy", new double[][] {{1, 0, 0}, {0, 1, 0}, {1, 0, 1}, {1, 1, 0}});
    matrix("formatted_train_labels_obs.npy", new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}});
    NpyWriter.writeUnicode(dir.resolve("formatted_val_images.npy"), List.of("v0.jpg", "v1.jpg"));
    matrix("formatted_val_labels.npy", new double[][] {{1, 1, 0}, {0, 1, 1}});
    matrix("formatted_val_labels_obs.npy", new double[][] {{0, 1, 0}, {0, 0, 1}});
  }

  private void matrix(String name, double[][] rows) throws IOException {
    int cols = rows[0].length;
    double[] flat = new double[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * cols, cols);
    }
    NpyWriter.writeFloat64(dir.resolve(name), flat, rows.length, cols);
  }

  private void assertRejected(Path file, String rule) {
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> FormattedSpmlLoader.load(dir, SplitOptions.of(0.25, 0), OptionalInt.empty()));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(rule), e.getMessage());
  }

  private static float[] toFloats(byte[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static Path tinyFixture() throws URISyntaxException {
    return Path.of(FormattedSpmlLoaderTest.class.getResource("/npy/spml_tiny").toURI());
  }
}
