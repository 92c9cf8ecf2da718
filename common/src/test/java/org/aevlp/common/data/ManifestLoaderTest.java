package org.aevlp.common.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {

  @TempDir Path dir;

  @Test
  void loadsDirectoryIntoSplitDataset() throws IOException {
    writeDirectory();

    SpmlDataset data = ManifestLoader.load(dir, SplitOptions.of(0.25, 3), OptionalInt.of(3), 11);

    assertEquals(List.of("cat", "dog", "bird"), data.classNames());
    assertEquals(3, data.numClasses());
    assertEquals(6, data.train().size());
    assertEquals(2, data.val().size());
    Set<String> official = new HashSet<>(data.train().imagePaths());
    official.addAll(data.val().imagePaths());
    assertEquals(Set.of("t0.jpg", "t1.jpg", "t2.jpg", "t3.jpg", "t4.jpg", "t5.jpg", "t6.jpg", "t7.jpg"), official);
    assertEquals(List.of("v0.jpg", "v1.jpg"), data.test().imagePaths());
    assertEquals(LabelMatrix.ofRows(3, new byte[] {1, 0, 1}, new byte[] {0, 1, 0}), data.test().labels());
    assertEquals(1, data.test().observed().get(0, 2));
    assertEquals(dir, data.imageRoot());
    assertEquals(List.of(dir.resolve("classnames.txt"), dir.resolve("train.csv"), dir.resolve("test.jsonl")),
        data.sourceFiles());
  }

  @Test
  void sameSeedsGiveTheSameDataset() throws IOException {
    writeDirectory();

    assertEquals(ManifestLoader.load(dir, SplitOptions.of(0.25, 3), OptionalInt.empty(), 11),
        ManifestLoader.load(dir, SplitOptions.of(0.25, 3), OptionalInt.empty(), 11));
  }

  @Test
  void rejectsClassCountOtherThanExpected() throws IOException {
    writeDirectory();

    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> ManifestLoader.load(dir, SplitOptions.of(0.25, 3), OptionalInt.of(80), 11));
    assertEquals(dir.resolve("classnames.txt") + ": lists 3 classes but the experiment expects 80 (num_classes)",
        e.getMessage());
  }

  @Test
  void namesTheMissingTestManifest() throws IOException {
    writeDirectory();
    Files.delete(dir.resolve("test.jsonl"));

    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> ManifestLoader.load(dir, SplitOptions.of(0.25, 3), OptionalInt.empty(), 11));
    assertTrue(e.getMessage().startsWith(dir.resolve("test.csv") + ": file not found (nor test.jsonl)"),
        e.getMessage());
  }

  @Test
  void rejectsTwoManifestsForOneSplit() throws IOException {
    writeDirectory();
    Files.writeString(dir.resolve("train.jsonl"), "{\"path\": \"t0.jpg\", \"labels\": [\"cat\"]}\n");

    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> ManifestLoader.load(dir, SplitOptions.of(0.25, 3), OptionalInt.empty(), 11));
    assertEquals(dir.resolve("train.csv") + ": both train.csv and train.jsonl exist; keep one", e.getMessage());
  }

  private void writeDirectory() throws IOException {
    Files.writeString(dir.resolve("classnames.txt"), "cat\ndog\nbird\n");
    StringBuilder train = new StringBuilder("path,labels\n");
    for (int i = 0; i < 8; i++) {
      train.append("t").append(i).append(".jpg,").append(i % 2 == 0 ? "cat;bird" : "dog").append('\n');
    }
    Files.writeString(dir.resolve("train.csv"), train);
    Files.writeString(dir.resolve("test.jsonl"),
        "{\"path\": \"v0.jpg\", \"labels\": [\"cat\", \"bird\"], \"observed\": \"bird\"}\n"
            + "{\"path\": \"v1.jpg\", \"labels\": [1]}\n");
  }
}
