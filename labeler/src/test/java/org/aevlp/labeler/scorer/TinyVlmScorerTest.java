package org.aevlp.labeler.scorer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.aevlp.common.image.RgbImage;
import org.aevlp.labeler.vlm.CaptionComposer;
import org.aevlp.labeler.vlm.CaptionSet;
import org.aevlp.labeler.vlm.CaptionedImage;
import org.aevlp.labeler.vlm.CaptionedObject;
import org.aevlp.labeler.vlm.PretrainOptions;
import org.aevlp.labeler.vlm.PretrainProgress;
import org.aevlp.labeler.vlm.VlmPretrainer;
import org.aevlp.models.vlm.ClassPrompt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TinyVlmScorerTest {

  private static TinyVlmScorer scorer;

  @BeforeAll
  static void trainATinyModel() {
    // a model trained on a handful of in-memory captioned images: the scorer's contract does not
    // depend on how well it was trained
    List<CaptionedImage> images = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 8; i++) {
      CaptionedObject object =
          new CaptionedObject(i % 2 == 0 ? "circle" : "star", i % 3 == 0 ? "red" : "blue", 0.5, 0.5, 0.3);
      images.add(
          new CaptionedImage(
              "x" + i + ".png", CaptionComposer.compose(List.of(object), true), List.of(object),
              RgbImage.of(64, 64, randomBytes(random, 64 * 64 * 3))));
    }
    CaptionSet set = new CaptionSet(Path.of("captions"), images, "test");
    scorer =
        new TinyVlmScorer(
            new VlmPretrainer(PretrainOptions.defaults().withEpochs(1).withBatchSize(4))
                .train(set, PretrainProgress.NONE));
  }

  @AfterAll
  static void close() {
    scorer.close();
  }

  @Test
  void describesItself() {
    assertEquals("tiny-vlm", scorer.name());
    assertEquals(64, scorer.inputSize());
    assertEquals(64, scorer.embeddingDimension());
  }

  @Test
  void imageRowsAreUnitVectorsOfDimension64InOrder() {
    List<float[]> views = views(5, 11);
    float[][] rows = scorer.embedImages(views);
    assertEquals(5, rows.length);
    for (float[] row : rows) {
      assertEquals(64, row.length);
      assertEquals(1.0, norm(row), 1e-5);
    }
    float[][] one = scorer.embedImages(List.of(views.get(3)));
    assertArrayEquals(rows[3], one[0], 1e-5f);
  }

  @Test
  void textRowsAreUnitVectorsOfDimension64() {
    float[][] rows =
        scorer.embedTexts(
            List.of(ClassPrompt.forClass("circle"), ClassPrompt.forClass("star"), "an unseen word"));
    assertEquals(3, rows.length);
    for (float[] row : rows) {
      assertEquals(64, row.length);
      assertEquals(1.0, norm(row), 1e-5);
    }
    assertTrue(Math.abs(rows[0][0] - rows[1][0]) + Math.abs(rows[0][1] - rows[1][1]) > 1e-6);
  }

  @Test
  void concurrentCallsGiveTheSameRowsAsOneCall() throws Exception {
    List<float[]> views = views(6, 12);
    float[][] expected = scorer.embedImages(views);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[][]>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> scorer.embedImages(views)));
        results.add(pool.submit(() -> scorer.embedTexts(List.of("a photo of a circle."))));
      }
      for (int i = 0; i < results.size(); i += 2) {
        float[][] rows = results.get(i).get();
        for (int v = 0; v < rows.length; v++) {
          assertArrayEquals(expected[v], rows[v], 1e-6f);
        }
        assertEquals(1, results.get(i + 1).get().length);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aViewOfTheWrongSizeIsRejectedByIndex() {
    List<float[]> views = new ArrayList<>(views(2, 13));
    views.add(new float[3 * 32 * 32]);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> scorer.embedImages(views));
    assertTrue(e.getMessage().startsWith("views[2]"), e.getMessage());
    assertEquals(0, scorer.embedImages(List.of()).length);
  }

  private static List<float[]> views(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<float[]> views = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] view = new float[3 * 64 * 64];
      for (int k = 0; k < view.length; k++) {
        view[k] = (float) random.nextGaussian();
      }
      views.add(view);
    }
    return views;
  }

  private static byte[] randomBytes(SplittableRandom random, int n) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  private static double norm(float[] row) {
    double sum = 0;
    for (float v : row) {
      sum += v * v;
    }
    return Math.sqrt(sum);
  }
}
