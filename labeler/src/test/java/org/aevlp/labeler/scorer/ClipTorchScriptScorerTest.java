package org.aevlp.labeler.scorer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.aevlp.common.npy.NpyArray;
import org.aevlp.common.npy.NpyReader;
import org.aevlp.common.npy.NpyWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the scorer on the tiny TorchScript fixture that src/test/resources/clip-fixture/make_fixture.py
 * builds with torch, and compares with the outputs torch computed there.
 */
class ClipTorchScriptScorerTest {

  /** The fixture's view side and context length (make_fixture.py: INPUT_SIZE, CONTEXT_LENGTH). */
  private static final int INPUT_SIZE = 16;
  private static final int CONTEXT_LENGTH = 8;
  private static final double TORCH_TOLERANCE = 1e-5;

  private static Path fixture;
  private static List<float[]> views;
  private static float[][] expectedImageEmbeddings;
  private static List<String> expectedPrompts;

  @TempDir
  static Path workspace;

  private static Path encoderDir;
  private static Path precomputedDir;

  @BeforeAll
  static void readFixture() throws IOException, URISyntaxException {
    fixture = Path.of(ClipTorchScriptScorerTest.class.getResource("/clip-fixture").toURI());
    views = List.of(NpyReader.read(fixture.resolve("image_views.npy")).toFloatMatrix());
    expectedImageEmbeddings = NpyReader.read(fixture.resolve("expected_image_embeddings.npy")).toFloatMatrix();
    expectedPrompts = Files.readAllLines(fixture.resolve("expected_text_prompts.txt"), StandardCharsets.UTF_8);
    encoderDir = directoryWith("encoder", "image_encoder.pt", "text_encoder.pt", "tokenizer.json");
    precomputedDir = directoryWith("precomputed", "image_encoder.pt", "text_embeddings.npy", "prompts.txt");
  }

  private static Path directoryWith(String name, String... files) throws IOException {
    Path dir = Files.createDirectories(workspace.resolve(name));
    for (String file : files) {
      Files.copy(fixture.resolve(file), dir.resolve(file));
    }
    return dir;
  }

  private static ClipTorchScriptConfig config(Path dir) {
    return ClipTorchScriptConfig.of(dir).withInputSize(INPUT_SIZE).withContextLength(CONTEXT_LENGTH);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 32})
  void imageEmbeddingsMatchTorchForEveryBatchSplit(int maxBatch) throws IOException {
    ClipTorchScriptConfig config = config(precomputedDir).withMaxBatch(maxBatch);
    try (ClipTorchScriptScorer scorer = ClipTorchScriptScorer.load(config)) {
      assertEquals(8, scorer.embeddingDimension());
      assertEquals(INPUT_SIZE, scorer.inputSize());
      assertEquals("clip-torchscript", scorer.name());
      float[][] embeddings = scorer.embedImages(views);
      assertEquals(expectedImageEmbeddings.length, embeddings.length);
      for (int i = 0; i < embeddings.length; i++) {
        assertArrayEquals(expectedImageEmbeddings[i], embeddings[i], (float) TORCH_TOLERANCE, "view " + i);
      }
    }
  }

  @Test
  void tokenIdsArePaddedAndTruncatedToTheContextLengthKeepingTheEndToken() throws IOException {
    // make_fixture.py tokenises by its own rules (lower-case, <unk>, <bos>/<eos>, pad 0, truncate)
    NpyArray expected = NpyReader.read(fixture.resolve("expected_token_ids.npy"));
    try (ClipTorchScriptScorer scorer = ClipTorchScriptScorer.load(config(encoderDir))) {
      long[][] ids = scorer.tokenIds(expectedPrompts);
      for (int p = 0; p < ids.length; p++) {
        long[] row = new long[CONTEXT_LENGTH];
        for (int t = 0; t < row.length; t++) {
          row[t] = (long) expected.getDouble(p, t);
        }
        assertArrayEquals(row, ids[p], "token ids of \"" + expectedPrompts.get(p) + "\"");
      }
    }
  }

  @Test
  void textEmbeddingsFromTokenizerAndEncoderMatchTorch() throws IOException {
    float[][] expected = NpyReader.read(fixture.resolve("expected_text_embeddings.npy")).toFloatMatrix();
    try (ClipTorchScriptScorer scorer = ClipTorchScriptScorer.load(config(encoderDir))) {
      float[][] embeddings = scorer.embedTexts(expectedPrompts);
      assertEquals(expected.length, embeddings.length);
      for (int p = 0; p < embeddings.length; p++) {
        assertArrayEquals(expected[p], embeddings[p], (float) TORCH_TOLERANCE, expectedPrompts.get(p));
      }
    }
  }

  @Test
  void precomputedEmbeddingsReturnTheRowsOfTheRequestedPromptsInRequestOrder() throws IOException {
    double[][] raw = NpyReader.read(fixture.resolve("text_embeddings.npy")).toDoubleMatrix();
    List<String> listed = Files.readAllLines(fixture.resolve("prompts.txt"), StandardCharsets.UTF_8);
    try (ClipTorchScriptScorer scorer = ClipTorchScriptScorer.load(config(precomputedDir))) {
      List<String> asked = List.of(listed.get(2), listed.get(0), listed.get(2));
      float[][] rows = scorer.embedTexts(asked);
      int[] expectedRow = {2, 0, 2};
      for (int i = 0; i < rows.length; i++) {
        double[] row = raw[expectedRow[i]];
        double norm = Math.sqrt(dot(row, row));
        for (int d = 0; d < row.length; d++) {
          assertEquals(row[d] / norm, rows[i][d], 1e-7, asked.get(i) + ", component " + d);
        }
      }
      // the same prompt through the TorchScript text encoder, as torch computed it
      float[][] viaEncoder = NpyReader.read(fixture.resolve("expected_text_embeddings.npy")).toFloatMatrix();
      assertEquals(listed.get(0), expectedPrompts.get(0));
      assertArrayEquals(viaEncoder[0], rows[1], (float) TORCH_TOLERANCE);
    }
  }

  @Test
  void precomputedEmbeddingsRejectAPromptNotInThePromptsFile() throws IOException {
    try (ClipTorchScriptScorer scorer = ClipTorchScriptScorer.load(config(precomputedDir))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> scorer.embedTexts(List.of("a photo of a circle.", "a photo of a zebra.")));
      assertTrue(e.getMessage().contains("\"a photo of a zebra.\""), e.getMessage());
      assertTrue(e.getMessage().contains("prompts.txt"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> scorer.embedTexts(List.of("A photo of a circle.")));
    }
  }

  @Test
  void everyEmbeddingHasUnitNormThoughTheExportsDoNotNormalise() throws IOException {
    double[][] raw = NpyReader.read(fixture.resolve("text_embeddings.npy")).toDoubleMatrix();
    assertNotEquals(1.0, Math.sqrt(dot(raw[0], raw[0])), 1e-3, "the fixture's raw text rows are not unit");
    List<float[]> scaledViews = new ArrayList<>();
    for (float[] view : views) {
      float[] scaled = view.clone();
      for (int i = 0; i < scaled.length; i++) {
        scaled[i] *= 50;
      }
      scaledViews.add(scaled);
    }
    List<String> listed = Files.readAllLines(fixture.resolve("prompts.txt"), StandardCharsets.UTF_8);
    List<float[][]> outputs = new ArrayList<>();
    try (ClipTorchScriptScorer encoder = ClipTorchScriptScorer.load(config(encoderDir));
        ClipTorchScriptScorer precomputed = ClipTorchScriptScorer.load(config(precomputedDir))) {
      outputs.add(encoder.embedImages(scaledViews));
      outputs.add(encoder.embedTexts(List.of("star", "a large red triangle on a small blue square")));
      outputs.add(precomputed.embedTexts(listed));
    }
    for (float[][] rows : outputs) {
      for (float[] row : rows) {
        double squares = 0;
        for (float v : row) {
          squares += (double) v * v;
        }
        assertEquals(1.0, Math.sqrt(squares), 1e-6);
      }
    }
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    NoSuchFileException noImage = assertThrows(NoSuchFileException.class, () -> ClipTorchScriptScorer.load(
        config(directoryWith("no-image", "text_embeddings.npy", "prompts.txt"))));
    assertTrue(noImage.getMessage().contains("image_encoder.pt"), noImage.getMessage());

    NoSuchFileException noTokenizer = assertThrows(NoSuchFileException.class, () -> ClipTorchScriptScorer.load(
        config(directoryWith("no-tokenizer", "image_encoder.pt", "text_encoder.pt"))));
    assertTrue(noTokenizer.getMessage().contains("tokenizer.json"), noTokenizer.getMessage());
    assertTrue(!noTokenizer.getMessage().contains("image_encoder.pt"), noTokenizer.getMessage());

    NoSuchFileException noPrompts = assertThrows(NoSuchFileException.class, () -> ClipTorchScriptScorer.load(
        config(directoryWith("no-prompts", "image_encoder.pt", "text_embeddings.npy"))));
    assertTrue(noPrompts.getMessage().contains("prompts.txt"), noPrompts.getMessage());

    NoSuchFileException noTexts = assertThrows(NoSuchFileException.class, () -> ClipTorchScriptScorer.load(
        config(directoryWith("no-texts", "image_encoder.pt"))));
    assertTrue(noTexts.getMessage().contains("text_encoder.pt"), noTexts.getMessage());
    assertTrue(noTexts.getMessage().contains("text_embeddings.npy"), noTexts.getMessage());

    Path absent = workspace.resolve("absent");
    NoSuchFileException noDir =
        assertThrows(NoSuchFileException.class, () -> ClipTorchScriptScorer.load(config(absent)));
    assertTrue(noDir.getMessage().contains(absent.toString()), noDir.getMessage());
  }

  @Test
  void textEmbeddingsOfAnotherLengthThanTheImageEmbeddingsAreRejected() throws IOException {
    Path dir = directoryWith("five-d", "image_encoder.pt", "prompts.txt");
    double[] fiveD = new double[4 * 5];
    Arrays.fill(fiveD, 0.5);
    NpyWriter.writeFloat64(dir.resolve("text_embeddings.npy"), fiveD, 4, 5);
    IOException e = assertThrows(IOException.class, () -> ClipTorchScriptScorer.load(config(dir)));
    assertTrue(e.getMessage().contains("text_embeddings.npy"), e.getMessage());
    assertTrue(e.getMessage().contains("image_encoder.pt"), e.getMessage());
  }

  @Test
  void aZeroPrecomputedRowIsRejectedNamingTheFile() throws IOException {
    Path dir = directoryWith("zero-row", "image_encoder.pt", "prompts.txt");
    double[] rows = new double[4 * 8];
    Arrays.fill(rows, 0, 8, 1.0);
    Path file = dir.resolve("text_embeddings.npy");
    NpyWriter.writeFloat64(file, rows, 4, 8);
    IOException e = assertThrows(IOException.class, () -> ClipTorchScriptScorer.load(config(dir)));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("row 1"), e.getMessage());
  }

  @Test
  void promptLinesMustMatchTheEmbeddingRows() throws IOException {
    Path dir = directoryWith("short-prompts", "image_encoder.pt", "text_embeddings.npy");
    Files.writeString(dir.resolve("prompts.txt"), "a photo of a circle.\na photo of a square.\n");
    IOException e = assertThrows(IOException.class, () -> ClipTorchScriptScorer.load(config(dir)));
    assertTrue(e.getMessage().contains("prompts.txt") && e.getMessage().contains("4 rows"), e.getMessage());
  }

  @Test
  void viewsOfTheWrongSizeAreRejectedWithTheirIndex() throws IOException {
    try (ClipTorchScriptScorer scorer = ClipTorchScriptScorer.load(config(precomputedDir))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> scorer.embedImages(List.of(views.get(0), new float[3 * 15 * 15])));
      assertTrue(e.getMessage().contains("view 1") && e.getMessage().contains("768"), e.getMessage());
    }
  }

  @Test
  void concurrentImageEmbeddingsEqualSequentialOnes() throws Exception {
    // 12 distinct views (the fixture's three at four scales), two per forward pass
    List<float[]> many = new ArrayList<>();
    for (int scale = 1; scale <= 4; scale++) {
      for (float[] view : views) {
        float[] scaled = view.clone();
        for (int i = 0; i < scaled.length; i++) {
          scaled[i] = scaled[i] * scale + 0.1f * scale;
        }
        many.add(scaled);
      }
    }
    try (ClipTorchScriptScorer scorer = ClipTorchScriptScorer.load(config(encoderDir).withMaxBatch(2))) {
      List<List<float[]>> requests = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        // each thread asks for a different rotation, so a mix-up between threads would show
        List<float[]> rotated = new ArrayList<>(many.subList(3 * t, many.size()));
        rotated.addAll(many.subList(0, 3 * t));
        requests.add(rotated);
      }
      List<float[][]> sequential = new ArrayList<>();
      for (List<float[]> request : requests) {
        sequential.add(scorer.embedImages(request));
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Callable<List<float[][]>>> tasks = new ArrayList<>();
        for (List<float[]> request : requests) {
          tasks.add(() -> {
            List<float[][]> repeats = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
              repeats.add(scorer.embedImages(request));
            }
            return repeats;
          });
        }
        List<Future<List<float[][]>>> results = pool.invokeAll(tasks);
        for (int t = 0; t < results.size(); t++) {
          for (float[][] concurrent : results.get(t).get()) {
            for (int v = 0; v < concurrent.length; v++) {
              assertArrayEquals(sequential.get(t)[v], concurrent[v], 1e-6f, "thread " + t + ", view " + v);
            }
          }
        }
      } finally {
        pool.shutdownNow();
      }
      // rows are rotated with their views, and differ from each other
      assertArrayEquals(sequential.get(0)[3], sequential.get(1)[0], 1e-6f);
      assertNotEquals(sequential.get(0)[0][0], sequential.get(0)[3][0]);
    }
  }

  @Test
  void callsLeaveNoArraysBehind() throws IOException {
    try (ClipTorchScriptScorer scorer = ClipTorchScriptScorer.load(config(encoderDir).withMaxBatch(2))) {
      int before = scorer.liveArrays();
      for (int i = 0; i < 10; i++) {
        scorer.embedImages(views);
        scorer.embedTexts(expectedPrompts);
      }
      assertEquals(before, scorer.liveArrays());
    }
  }

  @Test
  void configRejectsOutOfRangeValuesNamingTheField() {
    Path dir = Path.of("clip");
    IllegalArgumentException size =
        assertThrows(IllegalArgumentException.class, () -> ClipTorchScriptConfig.of(dir).withInputSize(0));
    assertTrue(size.getMessage().contains("inputSize"), size.getMessage());
    IllegalArgumentException context =
        assertThrows(IllegalArgumentException.class, () -> ClipTorchScriptConfig.of(dir).withContextLength(1));
    assertTrue(context.getMessage().contains("contextLength"), context.getMessage());
    IllegalArgumentException batch =
        assertThrows(IllegalArgumentException.class, () -> ClipTorchScriptConfig.of(dir).withMaxBatch(0));
    assertTrue(batch.getMessage().contains("maxBatch"), batch.getMessage());
    ClipTorchScriptConfig defaults = ClipTorchScriptConfig.of(dir);
    assertEquals(224, defaults.inputSize());
    assertEquals(77, defaults.contextLength());
    assertEquals("cpu", defaults.device());
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
