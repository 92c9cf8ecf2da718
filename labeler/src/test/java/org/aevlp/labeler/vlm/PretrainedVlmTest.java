package org.aevlp.labeler.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.aevlp.common.image.ImageNormalization;
import org.aevlp.labeler.scorer.TinyVlmScorer;
import org.aevlp.models.Network;
import org.aevlp.models.NetworkFactory;
import org.aevlp.models.NetworkSpec;
import org.aevlp.models.vlm.ClassPrompt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainedVlmTest {

  /** One epoch of three steps over the 96 small captions: quick, and enough to move the weights. */
  private static final PretrainOptions QUICK = PretrainOptions.defaults().withEpochs(1).withBatchSize(32);

  @TempDir Path temp;

  @Test
  void aLoadedCacheEmbedsExactlyAsTheTrainedModel() throws IOException {
    Path cache = temp.resolve("vlm");
    List<float[]> views = views(5);
    List<String> prompts = List.of(ClassPrompt.forClass("circle"), ClassPrompt.forClass("heart"), "a photo of a red star.");
    float[][] trainedImages;
    float[][] trainedTexts;
    float scale;
    try (TinyVlmScorer scorer = new TinyVlmScorer(train(cache, QUICK, new AtomicInteger()))) {
      trainedImages = scorer.embedImages(views);
      trainedTexts = scorer.embedTexts(prompts);
    }
    try (PretrainedVlm loaded = PretrainedVlm.load(cache)) {
      scale = loaded.logitScale();
      assertTrue(loaded.reused());
      assertEquals(QUICK, loaded.options());
      assertEquals(CaptionSet.contentHash(SyntheticFixture.smallCaptions()), loaded.datasetHash());
      assertEquals(SyntheticFixture.SMALL_CAPTIONS, loaded.captionedImages());
    }
    assertTrue(scale > 1 && scale <= 100, "logit scale " + scale);
    try (TinyVlmScorer scorer = TinyVlmScorer.load(cache)) {
      float[][] images = scorer.embedImages(views);
      float[][] texts = scorer.embedTexts(prompts);
      for (int i = 0; i < views.size(); i++) {
        assertArrayEquals(trainedImages[i], images[i], "view " + i);
      }
      for (int i = 0; i < prompts.size(); i++) {
        assertArrayEquals(trainedTexts[i], texts[i], prompts.get(i));
      }
    }
  }

  @Test
  void aMatchingCacheIsReusedWithoutTraining() throws IOException {
    Path cache = temp.resolve("vlm");
    AtomicInteger steps = new AtomicInteger();
    try (PretrainedVlm first = train(cache, QUICK, steps)) {
      assertFalse(first.reused());
    }
    assertEquals(3, steps.get());
    try (PretrainedVlm second = train(cache, QUICK, steps)) {
      assertTrue(second.reused());
    }
    assertEquals(3, steps.get(), "a cache hit must not train");
  }

  @Test
  void otherParametersRetrainAndReplaceTheCache() throws IOException {
    Path cache = temp.resolve("vlm");
    train(cache, QUICK, new AtomicInteger()).close();
    PretrainOptions other = QUICK.withLearningRate(1e-3);
    AtomicInteger steps = new AtomicInteger();
    try (PretrainedVlm retrained = train(cache, other, steps)) {
      assertFalse(retrained.reused());
    }
    assertEquals(3, steps.get());
    JsonNode description = new ObjectMapper().readTree(cache.resolve(PretrainedVlm.DESCRIPTION_FILE).toFile());
    assertEquals(1e-3, description.path("parameters").path("lr").asDouble());
    try (Stream<Path> siblings = Files.list(temp)) {
      assertEquals(List.of(cache), siblings.toList(), "no staging or old directory is left behind");
    }
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
    assertEquals(
        "rw-r--r--",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(cache.resolve(PretrainedVlm.IMAGE_TOWER_FILE))));
  }

  @Test
  void otherCaptionsRetrain() throws IOException {
    Path cache = temp.resolve("vlm");
    train(cache, QUICK, new AtomicInteger()).close();
    Path changed = temp.resolve("changed").resolve("captions");
    SyntheticFixture.copyTree(SyntheticFixture.smallCaptions(), changed);
    Files.copy(
        changed.resolve("images").resolve("000001.png"), changed.resolve("images").resolve("000000.png"),
        StandardCopyOption.REPLACE_EXISTING);
    AtomicInteger steps = new AtomicInteger();
    try (PretrainedVlm retrained = PretrainedVlm.loadOrTrain(cache, changed, QUICK, (e, s, n, l) -> steps.incrementAndGet())) {
      assertFalse(retrained.reused());
      assertEquals(CaptionSet.contentHash(changed), retrained.datasetHash());
    }
    assertEquals(3, steps.get());
  }

  @Test
  void aHalfWrittenCacheIsIgnored() throws IOException {
    Path cache = temp.resolve("vlm");
    train(cache, QUICK, new AtomicInteger()).close();
    // a crash half-way through a copy: the description is there, the text tower is cut short
    Path textTower = cache.resolve(PretrainedVlm.TEXT_TOWER_FILE);
    byte[] bytes = Files.readAllBytes(textTower);
    Files.write(textTower, Arrays.copyOf(bytes, bytes.length / 2));
    assertThrows(IOException.class, () -> PretrainedVlm.load(cache));
    AtomicInteger steps = new AtomicInteger();
    try (PretrainedVlm retrained = train(cache, QUICK, steps)) {
      assertFalse(retrained.reused());
    }
    assertEquals(3, steps.get());
    PretrainedVlm.load(cache).close();

    // no description at all: not a cache either
    Files.delete(cache.resolve(PretrainedVlm.DESCRIPTION_FILE));
    try (PretrainedVlm retrained = train(cache, QUICK, new AtomicInteger())) {
      assertFalse(retrained.reused());
    }
  }

  @Test
  void theImageTowerFileStartsATinyVlmClassifier() throws IOException {
    Path cache = temp.resolve("vlm");
    List<float[]> views = views(3);
    float[] pixels = new float[3 * 3 * 64 * 64];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(views.get(i), 0, pixels, i * views.get(i).length, views.get(i).length);
    }
    try (PretrainedVlm vlm = train(cache, QUICK, new AtomicInteger());
        NDManager manager = NDManager.newBaseManager()) {
      Network network =
          NetworkFactory.buildWithBackbone(
              NetworkSpec.of("tiny-vlm", 10, 64), manager, 3,
              cache.resolve(PretrainedVlm.IMAGE_TOWER_FILE));
      try (NDManager step = manager.newSubManager()) {
        NDArray images = step.create(pixels, new Shape(3, 3, 64, 64));
        float[] fromClassifier =
            network.backbone().forward(new ParameterStore(step, false),
                new NDList(images), false).singletonOrThrow().toFloatArray();
        float[] fromVlm =
            vlm.model().imageTower().forward(new ParameterStore(step, false),
                new NDList(images), false).singletonOrThrow().toFloatArray();
        assertArrayEquals(fromVlm, fromClassifier, 1e-6f);
      }
    }
  }

  @Test
  void zeroShotFiguresAreRecordedInTheDescription() throws IOException {
    Path cache = temp.resolve("vlm");
    try (TinyVlmScorer scorer = new TinyVlmScorer(train(cache, QUICK, new AtomicInteger()))) {
      ZeroShotReport report = ZeroShotReport.evaluateSynthetic(scorer, SyntheticFixture.dataset(), 0);
      assertEquals(SyntheticFixture.TEST_IMAGES, report.images());
      assertEquals(10, report.classes());
      assertTrue(report.mapSoftmax() > 0 && report.mapSoftmax() <= 100, "mAP " + report.mapSoftmax());
      PretrainedVlm.recordZeroShot(cache, report);
      JsonNode zeroShot =
          new ObjectMapper().readTree(cache.resolve(PretrainedVlm.DESCRIPTION_FILE).toFile()).path("zero_shot");
      assertEquals(report.mapSoftmax(), zeroShot.path("map_softmax").asDouble());
      assertEquals(report.dampQuality().precision(), zeroShot.path("damp").path("precision").asDouble());
    }
    try (PretrainedVlm reused = train(cache, QUICK, new AtomicInteger())) {
      assertTrue(reused.reused(), "recording figures keeps the cache valid");
    }
  }

  private static PretrainedVlm train(Path cache, PretrainOptions options, AtomicInteger steps)
      throws IOException {
    return PretrainedVlm.loadOrTrain(
        cache, SyntheticFixture.smallCaptions(), options, (e, s, n, l) -> steps.incrementAndGet());
  }

  private static List<float[]> views(int count) throws IOException {
    CaptionSet set = CaptionSet.read(SyntheticFixture.smallCaptions());
    List<float[]> views = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      views.add(ImageNormalization.IMAGENET.toTensor(set.images().get(i).image()).values());
    }
    return views;
  }
}
