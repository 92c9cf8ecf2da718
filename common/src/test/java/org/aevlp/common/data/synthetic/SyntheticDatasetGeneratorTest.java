package org.aevlp.common.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.aevlp.common.image.ImageCodec;
import org.aevlp.common.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDatasetGeneratorTest {

  private static final SyntheticSpec SMALL = SyntheticSpec.defaults().withCounts(40, 12, 30).withSeed(11);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  private static SyntheticDataset generate(Path dir, SyntheticSpec spec, int threads) throws Exception {
    return new SyntheticDatasetGenerator(threads).generate(dir, spec, done -> {});
  }

  /** Every file under {@code dir} by relative path, with its bytes. */
  private static TreeMap<String, byte[]> tree(Path dir) throws IOException {
    TreeMap<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
      }
    }
    return files;
  }

  @Test
  void sameSeedGivesByteIdenticalFilesWhateverTheThreadCount() throws Exception {
    generate(temp.resolve("a"), SMALL, 1);
    generate(temp.resolve("b"), SMALL, 2);
    TreeMap<String, byte[]> a = tree(temp.resolve("a"));
    TreeMap<String, byte[]> b = tree(temp.resolve("b"));
    assertEquals(a.keySet(), b.keySet());
    // 40 + 12 SPML images, 30 captioned images, 6 npy files, classnames, dataset.json, captions.jsonl, marker
    assertEquals(40 + 12 + 30 + 6 + 4, a.size());
    for (String file : a.keySet()) {
      assertArrayEquals(a.get(file), b.get(file), file + " differs between two runs with the same seed");
    }
  }

  @Test
  void anotherSeedGivesOtherImages() throws Exception {
    generate(temp.resolve("a"), SMALL, 2);
    generate(temp.resolve("b"), SMALL.withSeed(12), 2);
    byte[] first = Files.readAllBytes(temp.resolve("a/images/train_00000.png"));
    assertFalse(Arrays.equals(first, Files.readAllBytes(temp.resolve("b/images/train_00000.png"))));
  }

  @Test
  void formattedFilesFollowTheSpmlLayout() throws Exception {
    Path dir = temp.resolve("d");
    SyntheticDataset dataset = generate(dir, SMALL, 2);
    assertEquals(
        List.of("circle", "square", "triangle", "star", "cross", "ring", "diamond", "heart", "arrow", "crescent"),
        Files.readAllLines(dir.resolve("classnames.txt")));
    long observed = 0;
    double positives = 0;
    for (String phase : List.of("train", "val")) {
      int rows = phase.equals("train") ? 40 : 12;
      List<String> paths = NpyTestFile.read(dir.resolve("formatted_" + phase + "_images.npy")).unicodeVector();
      double[][] labels = NpyTestFile.read(dir.resolve("formatted_" + phase + "_labels.npy")).float64Matrix();
      double[][] obs = NpyTestFile.read(dir.resolve("formatted_" + phase + "_labels_obs.npy")).float64Matrix();
      assertEquals(rows, paths.size());
      assertEquals(rows, labels.length);
      assertEquals(rows, obs.length);
      for (int i = 0; i < rows; i++) {
        assertEquals(String.format("images/%s_%05d.png", phase, i), paths.get(i));
        RgbImage image = ImageCodec.decode(dir.resolve(paths.get(i)));
        assertEquals(64, image.width());
        assertEquals(64, image.height());
        assertEquals(10, labels[i].length);
        int rowPositives = 0;
        int rowObserved = 0;
        for (int c = 0; c < 10; c++) {
          assertTrue(labels[i][c] == 0 || labels[i][c] == 1, "labels are 0/1");
          assertTrue(obs[i][c] == 0 || obs[i][c] == 1, "observed labels are 0/1");
          rowPositives += (int) labels[i][c];
          rowObserved += (int) obs[i][c];
          assertTrue(obs[i][c] <= labels[i][c], "the observed positive must be a true positive");
        }
        assertTrue(rowPositives >= 1 && rowPositives <= 4, "1-4 objects of distinct classes, got " + rowPositives);
        assertEquals(1, rowObserved, "exactly one observed positive per row");
        observed += rowObserved;
        positives += phase.equals("train") ? rowPositives : 0;
      }
    }
    SyntheticStatistics statistics = dataset.statistics();
    assertEquals(40, statistics.trainImages());
    assertEquals(12, statistics.testImages());
    assertEquals(30, statistics.captionImages());
    assertEquals(observed, statistics.observedLabels());
    assertEquals(positives / 40, statistics.meanPositivesTrain(), 1e-12);
    assertEquals(
        (int) positives, statistics.trainPositivesPerClass().stream().mapToInt(Integer::intValue).sum());

    JsonNode description = JSON.readTree(dir.resolve("dataset.json").toFile());
    assertEquals(11, description.path("parameters").path("seed").asLong());
    assertEquals(40, description.path("statistics").path("train_images").asInt());
    assertEquals(SyntheticDatasetGenerator.parametersHash(SMALL), description.path("parameters_sha256").asText());
  }

  @Test
  void observedPositiveIsDrawnUniformlyAmongThePositives() throws Exception {
    SyntheticSpec twoObjects =
        new SyntheticSpec(5, 600, 1, 0, 32, 10, 2, 2, 0.25, 0.35, 0.2, 0);
    Path dir = temp.resolve("uniform");
    generate(dir, twoObjects, 2);
    double[][] labels = NpyTestFile.read(dir.resolve("formatted_train_labels.npy")).float64Matrix();
    double[][] obs = NpyTestFile.read(dir.resolve("formatted_train_labels_obs.npy")).float64Matrix();
    int lowerClassObserved = 0;
    for (int i = 0; i < labels.length; i++) {
      int lower = -1;
      for (int c = 0; c < 10 && lower < 0; c++) {
        lower = labels[i][c] == 1 ? c : -1;
      }
      lowerClassObserved += obs[i][lower] == 1 ? 1 : 0;
    }
    // each of the two positives with probability 1/2: 300 expected, sd 12.2; 4 sd either side
    assertTrue(Math.abs(lowerClassObserved - 300) < 50, "lower class observed " + lowerClassObserved + " of 600");
  }

  @Test
  void captionsListTheDrawnObjectsAtTheirRecordedPositions() throws Exception {
    // no clutter and one object per image, so the object's centre pixel shows its colour
    SyntheticSpec plain = new SyntheticSpec(3, 1, 1, 60, 64, 10, 1, 1, 0.3, 0.4, 0.0, 0);
    Path dir = temp.resolve("captions");
    SyntheticDataset dataset = generate(dir, plain, 2);
    List<String> lines = Files.readAllLines(dir.resolve("captions/captions.jsonl"), StandardCharsets.UTF_8);
    assertEquals(60, lines.size());
    int checked = 0;
    int withColour = 0;
    for (String line : lines) {
      JsonNode caption = JSON.readTree(line);
      JsonNode object = caption.path("objects").get(0);
      String shape = object.path("class").asText();
      String colour = object.path("colour").asText();
      String text = caption.path("caption").asText();
      String article = "aeiou".indexOf(shape.charAt(0)) >= 0 ? "an " : "a ";
      String colourArticle = "aeiou".indexOf(colour.charAt(0)) >= 0 ? "an " : "a ";
      boolean coloured = text.equals("a photo of " + colourArticle + colour + " " + shape + ".");
      assertTrue(coloured || text.equals("a photo of " + article + shape + "."), text);
      withColour += coloured ? 1 : 0;
      if (shape.equals("ring") || shape.equals("crescent")) {
        continue; // their centre is a hole
      }
      RgbImage image = ImageCodec.decode(dir.resolve(caption.path("path").asText()));
      int x = (int) (object.path("cx").asDouble() * 64);
      int y = (int) (object.path("cy").asDouble() * 64);
      ObjectColour expected = ObjectColour.valueOf(colour.toUpperCase(Locale.ROOT));
      for (int c = 0; c < 3; c++) {
        // shade factor within [0.85, 1.1], clamped to 255
        int value = image.channel(x, y, c);
        assertTrue(
            value >= Math.floor(expected.channel(c) * 0.85) - 1 && value <= Math.min(255, expected.channel(c) * 1.1 + 1),
            text + ": channel " + c + " is " + value + " at the centre, colour " + colour);
      }
      checked++;
    }
    assertTrue(checked > 30, "checked " + checked);
    assertEquals(withColour, dataset.statistics().captionsWithColour());
    assertTrue(withColour > 15 && withColour < 45, "about half the captions name the colour: " + withColour);
  }

  @Test
  void everyImageDiffersFromEveryOtherAcrossAllSplits() throws Exception {
    Path dir = temp.resolve("distinct");
    generate(dir, SMALL, 2);
    Set<RgbImage> images = new HashSet<>();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.filter(p -> p.toString().endsWith(".png")).forEach(files::add);
    }
    assertEquals(82, files.size());
    for (Path file : files) {
      assertTrue(images.add(ImageCodec.decode(file)), file + " repeats another image");
    }
  }

  @Test
  void duplicateImageIsRejectedNamingBoth() {
    DistinctImages distinct = new DistinctImages();
    byte[] digest = DistinctImages.digest(new byte[] {1, 2, 3});
    distinct.add(digest, "images/train_00001.png");
    distinct.add(DistinctImages.digest(new byte[] {1, 2, 4}), "images/train_00002.png");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> distinct.add(digest.clone(), "captions/images/000007.png"));
    assertTrue(e.getMessage().contains("captions/images/000007.png"));
    assertTrue(e.getMessage().contains("images/train_00001.png"));
  }

  @Test
  void secondRunWithTheSameParametersReusesTheFiles() throws Exception {
    Path dir = temp.resolve("cache");
    SyntheticDataset first = generate(dir, SMALL, 2);
    assertFalse(first.reused());
    // mark one image: a reused dataset leaves it as it is, a regenerated one would rewrite it
    Path image = dir.resolve("images/train_00003.png");
    Files.write(image, new byte[] {42});
    List<Long> progress = new ArrayList<>();
    SyntheticDataset second = new SyntheticDatasetGenerator(2).generate(dir, SMALL, progress::add);
    assertTrue(second.reused());
    assertEquals(first.statistics(), second.statistics());
    assertArrayEquals(new byte[] {42}, Files.readAllBytes(image));
    assertEquals(List.of(SMALL.totalImages()), progress);
  }

  @Test
  void halfWrittenDirectoryIsRegenerated() throws Exception {
    Path reference = temp.resolve("reference");
    generate(reference, SMALL, 2);
    Path dir = temp.resolve("interrupted");
    generate(dir, SMALL, 2);
    // what a run killed midway leaves: marker still in progress, some outputs missing
    String hash = SyntheticDatasetGenerator.parametersHash(SMALL);
    Files.writeString(dir.resolve(SyntheticDatasetGenerator.MARKER_FILE), "state=in-progress\nparameters_sha256=" + hash + "\n");
    Files.delete(dir.resolve("formatted_val_labels.npy"));
    Files.delete(dir.resolve("captions/images/000004.png"));
    Files.write(dir.resolve("images/train_00000.png"), new byte[] {1});

    SyntheticDataset again = generate(dir, SMALL, 2);
    assertFalse(again.reused());
    TreeMap<String, byte[]> expected = tree(reference);
    TreeMap<String, byte[]> actual = tree(dir);
    assertEquals(expected.keySet(), actual.keySet());
    for (String file : expected.keySet()) {
      assertArrayEquals(expected.get(file), actual.get(file), file);
    }
  }

  @Test
  void changedParametersRegenerate() throws Exception {
    Path dir = temp.resolve("changed");
    generate(dir, SMALL, 2);
    SyntheticDataset bigger = generate(dir, SMALL.withCounts(45, 12, 30), 2);
    assertFalse(bigger.reused());
    assertEquals(45, NpyTestFile.read(dir.resolve("formatted_train_images.npy")).unicodeVector().size());
    assertTrue(Files.exists(dir.resolve("images/train_00044.png")));
  }

  @Test
  void nonEmptyDirectoryWithoutMarkerIsRefusedAndLeftAlone() throws Exception {
    Path dir = temp.resolve("voc");
    Files.createDirectories(dir.resolve("images"));
    Files.writeString(dir.resolve("formatted_train_labels.npy"), "someone else's data");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> generate(dir, SMALL, 2));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertEquals("someone else's data", Files.readString(dir.resolve("formatted_train_labels.npy")));
  }

  @Test
  void progressCountsUpToTheTotalFromTheCallingThread() throws Exception {
    List<Long> progress = new ArrayList<>();
    Thread caller = Thread.currentThread();
    new SyntheticDatasetGenerator(2)
        .generate(
            temp.resolve("progress"),
            SyntheticSpec.defaults().withCounts(300, 10, 5),
            done -> {
              assertEquals(caller, Thread.currentThread());
              progress.add(done);
            });
    for (int i = 1; i < progress.size(); i++) {
      assertTrue(progress.get(i) > progress.get(i - 1), "progress must increase: " + progress);
    }
    assertTrue(progress.size() >= 3, "several progress reports: " + progress);
    assertEquals(315L, progress.get(progress.size() - 1));
  }

  @Test
  void parametersHashDependsOnEveryParameter() {
    String base = SyntheticDatasetGenerator.parametersHash(SMALL);
    assertEquals(base, SyntheticDatasetGenerator.parametersHash(SyntheticSpec.defaults().withCounts(40, 12, 30).withSeed(11)));
    assertNotEquals(base, SyntheticDatasetGenerator.parametersHash(SMALL.withSeed(12)));
    assertNotEquals(base, SyntheticDatasetGenerator.parametersHash(SMALL.withCounts(40, 12, 31)));
    assertNotEquals(
        base,
        SyntheticDatasetGenerator.parametersHash(new SyntheticSpec(11, 40, 12, 30, 64, 10, 1, 4, 0.2, 0.4, 0.5, 1)));
  }
}
