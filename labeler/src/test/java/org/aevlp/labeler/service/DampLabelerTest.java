package org.aevlp.labeler.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.aevlp.common.image.ImageCodec;
import org.aevlp.common.image.ParallelImageDecoder;
import org.aevlp.common.image.RgbImage;
import org.aevlp.common.image.ViewFlips;
import org.aevlp.labeler.bench.UntrainedTinyVlmScorer;
import org.aevlp.labeler.cache.EmbeddingCache;
import org.aevlp.labeler.cache.ViewKey;
import org.aevlp.labeler.damp.DampAggregator;
import org.aevlp.labeler.damp.DampParams;
import org.aevlp.labeler.views.ViewRenderer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DampLabelerTest {

  private static final long SEED = 5;
  /** Low threshold and some negatives, so rows hold 1s, 0s and cleared positives. */
  private static final DampParams PARAMS = new DampParams(0.01, 0.1, 0.1, 2, 3, 0.2, 10, false);

  @TempDir static Path dataDir;
  private static LabelerDataset dataset;
  private static UntrainedTinyVlmScorer untrained;

  private InstrumentedScorer scorer;
  private EmbeddingCache cache;
  private ParallelImageDecoder decoder;

  @BeforeAll
  static void prepare() throws Exception {
    dataset = SyntheticFixture.dataset(dataDir, 12);
    untrained = SyntheticFixture.scorer();
  }

  @AfterAll
  static void release() {
    untrained.close();
  }

  @AfterEach
  void closeDecoder() {
    if (decoder != null) {
      decoder.close();
    }
  }

  private DampLabeler labeler(boolean embedBothFlips, LabelerDataset... datasets) {
    scorer = InstrumentedScorer.counting(untrained);
    cache = new EmbeddingCache(64L << 20);
    decoder = new ParallelImageDecoder(2, 16);
    return new DampLabeler(
        scorer, List.of(datasets), cache, decoder, new LabelerMetrics(new SimpleMeterRegistry()), embedBothFlips);
  }

  private static LabelingTask task(int epoch, int... samples) {
    List<LabelingItem> items = new ArrayList<>();
    for (int sample : samples) {
      items.add(new LabelingItem.DatasetSample(sample, SyntheticFixture.observed(sample % 10)));
    }
    return new LabelingTask(SyntheticFixture.DATASET, epoch, SEED, PARAMS, false, items);
  }

  @Test
  void rowsAreDampOverTheCosinesOfTheSeededViewsOfEachImage() throws Exception {
    DampLabeler labeler = labeler(false, dataset);
    LabelingTask task = task(1, 0, 3, 7);
    LabelingResult result = labeler.label(List.of(task)).get(0);

    assertEquals(3, result.rows().size());
    assertEquals(0, result.cacheHits());
    assertEquals(1, scorer.imageCalls(), "all missing views of a batch go to the scorer in one call");
    assertEquals(3 * 5, scorer.viewsEmbedded());

    ViewRenderer renderer = new ViewRenderer(SyntheticFixture.INPUT_SIZE);
    float[][] texts = untrained.embedTexts(
        SyntheticFixture.classNames().stream().map(name -> "a photo of a " + name + ".").toList());
    for (int i = 0; i < task.items().size(); i++) {
      LabelingItem item = task.items().get(i);
      int sample = (int) item.key();
      RgbImage image = ImageCodec.decode(dataset.imagePath(sample));
      List<float[]> views = renderer.renderAll(image, 2, new ViewFlips(SEED), 1, sample);
      float[][] expected = untrained.embedImages(views);
      double[][] logits = new double[5][10];
      for (int v = 0; v < 5; v++) {
        float[] cached = cache.get(DampLabeler.viewKey(task, item, v));
        assertNotNull(cached, "view " + v + " of sample " + sample + " was not cached under its flip");
        assertArrayEquals(expected[v], cached, 1e-4f, "embedding of view " + v + " of sample " + sample);
        for (int c = 0; c < 10; c++) {
          for (int d = 0; d < cached.length; d++) {
            logits[v][c] += (double) cached[d] * texts[c][d];
          }
        }
      }
      int[] labels = new DampAggregator(PARAMS).aggregate(logits, item.observed()).pseudoLabels();
      assertEquals(sample, result.rows().get(i).index());
      assertArrayEquals(labels, result.rows().get(i).labels(), "row of sample " + sample);
      assertFalse(result.rows().get(i).imageUnreadable());
    }
  }

  @Test
  void theSameEpochAgainIsAnsweredFromTheCacheWithTheSameRows() throws Exception {
    DampLabeler labeler = labeler(false, dataset);
    LabelingResult first = labeler.label(List.of(task(2, 1, 2, 4, 8))).get(0);
    int calls = scorer.imageCalls();
    LabelingResult again = labeler.label(List.of(task(2, 1, 2, 4, 8))).get(0);

    assertEquals(4, again.cacheHits());
    assertEquals(calls, scorer.imageCalls(), "a fully cached batch must not call the scorer");
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(first.rows().get(i).labels(), again.rows().get(i).labels());
    }
  }

  @Test
  void withoutBothFlipsOnlyTheDrawnOrientationIsEmbeddedAndTheNextEpochDrawsOthers() throws Exception {
    DampLabeler labeler = labeler(false, dataset);
    int[] samples = {0, 1, 2, 3, 4, 5};
    LabelingTask epoch1 = task(1, samples);
    LabelingTask epoch2 = task(2, samples);
    labeler.label(List.of(epoch1));
    int changed = 0;
    for (LabelingItem item : epoch1.items()) {
      for (int v = 0; v < 5; v++) {
        ViewKey drawn = DampLabeler.viewKey(epoch1, item, v);
        assertTrue(cache.contains(drawn));
        assertFalse(cache.contains(ViewKey.of(drawn.source(), drawn.sample(), 2, v, !drawn.flipped())));
        changed += drawn.equals(DampLabeler.viewKey(epoch2, item, v)) ? 0 : 1;
      }
    }
    assertTrue(changed > 0, "epoch 2 must draw some other flips than epoch 1");

    int before = scorer.viewsEmbedded();
    LabelingResult second = labeler.label(List.of(epoch2)).get(0);
    assertEquals(changed, scorer.viewsEmbedded() - before, "exactly the views whose flip changed are embedded");
    assertTrue(second.cacheHits() < samples.length);
    for (LabelingItem item : epoch2.items()) {
      for (int v = 0; v < 5; v++) {
        assertTrue(cache.contains(DampLabeler.viewKey(epoch2, item, v)));
      }
    }
  }

  @Test
  void withBothFlipsEveryLaterEpochIsServedFromTheCache() throws Exception {
    DampLabeler labeler = labeler(true, dataset);
    labeler.label(List.of(task(1, 0, 1, 2)));
    assertEquals(3 * 5 * 2, scorer.viewsEmbedded());
    int calls = scorer.imageCalls();
    for (int epoch = 2; epoch <= 4; epoch++) {
      assertEquals(3, labeler.label(List.of(task(epoch, 0, 1, 2))).get(0).cacheHits(), "epoch " + epoch);
    }
    assertEquals(calls, scorer.imageCalls());
  }

  @Test
  void aViewAndItsMirrorHaveDifferentEmbeddings() throws Exception {
    DampLabeler labeler = labeler(true, dataset);
    labeler.label(List.of(task(1, 3)));
    float[] plain = cache.get(ViewKey.of(SyntheticFixture.DATASET, 3, 2, 0, false));
    float[] mirrored = cache.get(ViewKey.of(SyntheticFixture.DATASET, 3, 2, 0, true));
    assertNotNull(plain);
    assertNotNull(mirrored);
    assertFalse(Arrays.equals(plain, mirrored));
  }

  @Test
  void severalTasksInABatchShareOneScorerCallAndKeepTheirOrder() throws Exception {
    DampLabeler labeler = labeler(false, dataset);
    List<LabelingResult> results = labeler.label(List.of(task(1, 5, 6), task(1, 9), task(1, 5)));
    assertEquals(1, scorer.imageCalls());
    assertEquals(3 * 5, scorer.viewsEmbedded(), "sample 5 requested twice in one batch is embedded once");
    assertEquals(List.of(5L, 6L), results.get(0).rows().stream().map(LabeledRow::index).toList());
    assertEquals(9L, results.get(1).rows().get(0).index());
    assertArrayEquals(results.get(0).rows().get(0).labels(), results.get(2).rows().get(0).labels());
  }

  @Test
  void anUnreadableImageGivesAFlaggedZeroRowAndTheOthersAreLabelled() throws Exception {
    Files.write(dataDir.resolve("images/broken.png"), new byte[] {1, 2, 3});
    LabelerDataset withBroken = new LabelerDataset(
        "synthetic", SyntheticFixture.classNames(), dataDir,
        List.of(dataset.imagePaths().get(0), "images/broken.png", "images/missing.png"), 3, Optional.empty());
    DampLabeler labeler = labeler(false, withBroken);
    LabelingResult result = labeler.label(List.of(task(1, 0, 1, 2))).get(0);

    assertFalse(result.rows().get(0).imageUnreadable());
    for (int row = 1; row <= 2; row++) {
      assertTrue(result.rows().get(row).imageUnreadable());
      assertArrayEquals(new int[10], result.rows().get(row).labels());
    }
    assertEquals(2, decoder.skippedLog().count());
  }

  @Test
  void requestImagesAreCachedByTheirContent() throws Exception {
    DampLabeler labeler = labeler(false, dataset);
    byte[] png = Files.readAllBytes(dataset.imagePath(4));
    RgbImage image = ImageCodec.decode(png);
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
    LabelingTask task = new LabelingTask(SyntheticFixture.DATASET, 1, SEED, PARAMS, false,
        List.of(new LabelingItem.InlineImage(4, image, hash, SyntheticFixture.observed(4))));
    LabelingResult first = labeler.label(List.of(task)).get(0);
    LabelingResult second = labeler.label(List.of(task)).get(0);
    LabelingResult fromDataset = labeler.label(List.of(task(1, 4))).get(0);

    assertEquals(0, first.cacheHits());
    assertEquals(1, second.cacheHits());
    assertEquals(4L, first.rows().get(0).index());
    // Same pixels, same flips (key 4 = sample 4), same observed label: same pseudo-labels.
    assertArrayEquals(first.rows().get(0).labels(), fromDataset.rows().get(0).labels());
  }

  @Test
  void aTaskForADatasetItDoesNotServeFailsNamingIt() {
    DampLabeler labeler = labeler(false, dataset);
    LabelingTask foreign = new LabelingTask("pascal", 1, SEED, PARAMS, false,
        List.of(new LabelingItem.DatasetSample(0, SyntheticFixture.observed(0))));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> labeler.label(List.of(foreign)));
    assertTrue(error.getMessage().contains("pascal"));
  }
}
