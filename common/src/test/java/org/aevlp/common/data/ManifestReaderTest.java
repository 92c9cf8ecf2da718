package org.aevlp.common.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

  private static final ClassNames CLASSES = ClassNames.of(List.of("cat", "dog", "person", "car"));

  @TempDir Path dir;

  @Test
  void readsCsvWithNamesIndicesQuotesAndObservedColumn() throws IOException {
    Path csv = write("train.csv",
        "path,labels,observed",
        "a.jpg,cat;person,person",
        "\"b, with comma.jpg\",1,",
        "c/日本.jpg, dog ; 3 ;,car");

    SpmlSplit split = ManifestReader.read(csv, CLASSES, 0);

    assertEquals(List.of("a.jpg", "b, with comma.jpg", "c/日本.jpg"), split.imagePaths());
    assertEquals(LabelMatrix.ofRows(4, new byte[] {1, 0, 1, 0}, new byte[] {0, 1, 0, 0}, new byte[] {0, 1, 0, 1}),
        split.labels());
    assertArrayEquals(new int[] {2}, split.observed().positives(0));
    assertArrayEquals(new int[] {1}, split.observed().positives(1));
    assertArrayEquals(new int[] {3}, split.observed().positives(2));
  }

  @Test
  void readsJsonLinesWithNamesIndicesAndOptionalObserved() throws IOException {
    Path jsonl = write("train.jsonl",
        "{\"path\": \"a.jpg\", \"labels\": [\"cat\", \"person\"], \"observed\": \"person\"}",
        "",
        "{\"path\": \"b, with comma.jpg\", \"labels\": [1], \"observed\": null}",
        "{\"path\": \"c/日本.jpg\", \"labels\": [\"dog\", 3], \"observed\": 3}");

    SpmlSplit split = ManifestReader.read(jsonl, CLASSES, 0);

    assertEquals(List.of("a.jpg", "b, with comma.jpg", "c/日本.jpg"), split.imagePaths());
    assertEquals(LabelMatrix.ofRows(4, new byte[] {1, 0, 1, 0}, new byte[] {0, 1, 0, 0}, new byte[] {0, 1, 0, 1}),
        split.labels());
    assertArrayEquals(new int[] {2}, split.observed().positives(0));
    assertArrayEquals(new int[] {1}, split.observed().positives(1));
    assertArrayEquals(new int[] {3}, split.observed().positives(2));
  }

  @Test
  void csvAndJsonLinesOfTheSameImagesGiveTheSameSplit() throws IOException {
    Path csv = write("m.csv", "labels,path", "cat;dog;car,x.jpg", "person;dog,y.jpg", "0;1;2;3,z.jpg");
    Path jsonl = write("m.jsonl",
        "{\"path\": \"x.jpg\", \"labels\": [\"cat\", \"dog\", \"car\"]}",
        "{\"path\": \"y.jpg\", \"labels\": [\"person\", \"dog\"]}",
        "{\"path\": \"z.jpg\", \"labels\": [0, 1, 2, 3]}");

    assertEquals(ManifestReader.read(csv, CLASSES, 42), ManifestReader.read(jsonl, CLASSES, 42));
  }

  @Test
  void drawnObservedPositiveIsOneOfTheLabelsAndFixedBySeed() throws IOException {
    List<String> lines = new ArrayList<>(List.of("path,labels"));
    for (int i = 0; i < 200; i++) {
      lines.add("img" + i + ".jpg,cat;dog;person;car");
    }
    Path csv = write("many.csv", lines.toArray(String[]::new));

    SpmlSplit first = ManifestReader.read(csv, CLASSES, 5);
    SpmlSplit again = ManifestReader.read(csv, CLASSES, 5);
    SpmlSplit otherSeed = ManifestReader.read(csv, CLASSES, 6);

    assertEquals(first.observed(), again.observed());
    assertNotEquals(first.observed(), otherSeed.observed());
    int[] perClass = new int[4];
    for (int row = 0; row < first.size(); row++) {
      int[] observed = first.observed().positives(row);
      assertEquals(1, observed.length);
      perClass[observed[0]]++;
    }
    for (int count : perClass) {
      assertTrue(count > 20, "every class is drawn for some of 200 images: " + Arrays.toString(perClass));
    }
  }

  @Test
  void drawDependsOnlyOnSeedAndPosition() throws IOException {
    Path none = write("none.csv", "path,labels,observed", "a.jpg,cat;dog,", "b.jpg,cat;dog;person;car,");
    Path firstGiven = write("given.csv", "path,labels,observed", "a.jpg,cat;dog,dog", "b.jpg,cat;dog;person;car,");

    assertEquals(ManifestReader.read(none, CLASSES, 9).observed().positives(1)[0],
        ManifestReader.read(firstGiven, CLASSES, 9).observed().positives(1)[0]);
  }

  @Test
  void rejectsUnknownClassNamingFileAndLine() throws IOException {
    Path csv = write("bad.csv", "path,labels", "a.jpg,cat", "b.jpg,dgo");
    assertRejected(csv, "line 3: unknown class 'dgo' (not a class name, nor an index in [0, 4))");
  }

  @Test
  void rejectsClassIndexOutOfRange() throws IOException {
    Path jsonl = write("bad.jsonl", "{\"path\": \"a.jpg\", \"labels\": [4]}");
    assertRejected(jsonl, "line 1: class index 4 is outside [0, 4)");
  }

  @Test
  void rejectsImageWithoutLabels() throws IOException {
    Path csv = write("bad.csv", "path,labels", "a.jpg,cat", "b.jpg, ; ");
    assertRejected(csv, "line 3 has no labels; every image needs at least one");
  }

  @Test
  void rejectsObservedClassThatIsNotALabel() throws IOException {
    Path jsonl = write("bad.jsonl", "{\"path\": \"a.jpg\", \"labels\": [\"cat\", \"dog\"], \"observed\": \"car\"}");
    assertRejected(jsonl, "line 1: the observed class 'car' is not among its labels [cat, dog]");
  }

  @Test
  void rejectsRepeatedPath() throws IOException {
    Path csv = write("bad.csv", "path,labels", "a.jpg,cat", "b.jpg,dog", "a.jpg,car");
    assertRejected(csv, "line 4 repeats the path 'a.jpg' (first on line 2)");
  }

  @Test
  void rejectsInvalidJson() throws IOException {
    Path jsonl = write("bad.jsonl", "{\"path\": \"a.jpg\", \"labels\": [\"cat\"]}", "{\"path\": \"b.jpg\", ");
    assertRejected(jsonl, "line 2 is not valid JSON");
  }

  @Test
  void rejectsUnknownJsonKey() throws IOException {
    Path jsonl = write("bad.jsonl", "{\"path\": \"a.jpg\", \"label\": [\"cat\"]}");
    assertRejected(jsonl, "line 1 has the unknown key 'label'; allowed: [path, labels, observed]");
  }

  @Test
  void rejectsJsonLineWithoutPathOrWithNonArrayLabels() throws IOException {
    assertRejected(write("a.jsonl", "{\"labels\": [\"cat\"]}"), "line 1 needs \"path\" as a string");
    assertRejected(write("b.jsonl", "{\"path\": \"a.jpg\", \"labels\": \"cat\"}"),
        "line 1 needs \"labels\" as an array of classes");
    assertRejected(write("c.jsonl", "{\"path\": \"a.jpg\", \"labels\": [1.5]}"),
        "line 1: class 1.5 must be a class name (string) or index (integer)");
    assertRejected(write("d.jsonl", "[\"a.jpg\"]"), "line 1 is not a JSON object");
  }

  @Test
  void rejectsCsvWithoutHeader() throws IOException {
    Path csv = write("bad.csv", "a.jpg,cat");
    assertRejected(csv,
        "line 1 must be a header with the columns path and labels (and optionally observed), found [a.jpg, cat]");
  }

  @Test
  void rejectsCsvRowWithWrongFieldCount() throws IOException {
    Path csv = write("bad.csv", "path,labels", "a.jpg,cat,extra");
    assertRejected(csv, "line 2 has 3 fields, the header 2");
  }

  @Test
  void rejectsUnterminatedQuote() throws IOException {
    Path csv = write("bad.csv", "path,labels", "\"a.jpg,cat");
    assertRejected(csv, "line 2 has an unterminated quoted field");
  }

  @Test
  void rejectsUnknownExtensionAndEmptyManifest() throws IOException {
    assertRejected(write("list.txt", "a.jpg cat"), "unknown manifest format; name it .csv or .jsonl");
    assertRejected(write("empty.csv", "path,labels"), "the manifest lists no images");
    assertRejected(dir.resolve("absent.csv"), "manifest file not found");
  }

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, List.of(lines));
    return file;
  }

  private static void assertRejected(Path file, String rule) {
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ManifestReader.read(file, CLASSES, 0));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(rule), e.getMessage());
  }
}
