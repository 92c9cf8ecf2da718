package org.aevlp.labeler.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.aevlp.common.image.ImageNormalization;
import org.aevlp.labeler.scorer.TinyVlmScorer;
import org.junit.jupiter.api.Test;

class VlmPretrainerTest {

  private static final int TRAIN = 600;

  @Test
  void pretrainingLowersTheLossAndRetrievesHeldOutCaptionsAboveChance() throws IOException {
    // the captions directory's parent holds nothing else: no SPML file can be opened
    CaptionSet all = CaptionSet.read(SyntheticFixture.captionsOnly());
    CaptionSet train = subset(all, 0, TRAIN);
    List<CaptionedImage> heldOut = all.images().subList(TRAIN, all.size());
    PretrainOptions options = PretrainOptions.defaults().withEpochs(3).withBatchSize(32);
    List<int[]> steps = new ArrayList<>();
    PretrainedVlm vlm =
        new VlmPretrainer(options)
            .train(train, (epoch, step, perEpoch, loss) -> steps.add(new int[] {epoch, step, perEpoch}));
    try (TinyVlmScorer scorer = new TinyVlmScorer(vlm)) {
      int perEpoch = VlmPretrainer.stepsPerEpoch(TRAIN, 32);
      assertEquals(19, perEpoch);
      assertEquals(3 * perEpoch, steps.size());
      assertArrayEquals(new int[] {3, perEpoch, perEpoch}, steps.get(steps.size() - 1));
      List<Double> losses = vlm.summary().epochLosses();
      assertEquals(3, losses.size());
      assertTrue(losses.get(2) < losses.get(0) - 0.2, "epoch losses " + losses);

      // image → caption among the 100 held-out pairs (full captions with colours)
      List<float[]> views = new ArrayList<>();
      List<String> captions = new ArrayList<>();
      for (CaptionedImage image : heldOut) {
        views.add(ImageNormalization.IMAGENET.toTensor(image.image()).values());
        captions.add(CaptionComposer.compose(image.objects(), true));
      }
      float[][] images = scorer.embedImages(views);
      float[][] texts = scorer.embedTexts(captions);
      int inTopFive = 0;
      for (int i = 0; i < images.length; i++) {
        double own = dot(images[i], texts[i]);
        int better = 0;
        for (float[] text : texts) {
          better += dot(images[i], text) > own ? 1 : 0;
        }
        inTopFive += better < 5 ? 1 : 0;
      }
      double chance = 5.0 / heldOut.size();
      double recallAtFive = (double) inTopFive / heldOut.size();
      assertTrue(
          recallAtFive > 3 * chance,
          "held-out image→caption recall@5 " + recallAtFive + ", chance " + chance);
    }
  }

  @Test
  void sameSeedTrainsTheSameModel() throws IOException {
    CaptionSet small = subset(CaptionSet.read(SyntheticFixture.captionsOnly()), 0, 96);
    PretrainOptions options = PretrainOptions.defaults().withEpochs(1).withBatchSize(32);
    List<float[]> views = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      views.add(ImageNormalization.IMAGENET.toTensor(small.images().get(i).image()).values());
    }
    float[][] first;
    List<Double> firstLosses;
    try (TinyVlmScorer scorer = new TinyVlmScorer(new VlmPretrainer(options).train(small, PretrainProgress.NONE))) {
      first = scorer.embedImages(views);
    }
    PretrainedVlm again = new VlmPretrainer(options).train(small, PretrainProgress.NONE);
    firstLosses = again.summary().epochLosses();
    try (TinyVlmScorer scorer = new TinyVlmScorer(again)) {
      float[][] second = scorer.embedImages(views);
      for (int i = 0; i < first.length; i++) {
        assertArrayEquals(first[i], second[i], "view " + i);
      }
    }
    PretrainedVlm otherSeed = new VlmPretrainer(options.withSeed(7)).train(small, PretrainProgress.NONE);
    try (TinyVlmScorer scorer = new TinyVlmScorer(otherSeed)) {
      assertTrue(Math.abs(scorer.embedImages(views)[0][0] - first[0][0]) > 1e-6);
      assertTrue(!otherSeed.summary().epochLosses().equals(firstLosses));
    }
  }

  @Test
  void aRemainderOfTwoOrMoreImagesMakesALastSmallerStep() {
    assertEquals(23, VlmPretrainer.stepsPerEpoch(5889, 256));
    assertEquals(24, VlmPretrainer.stepsPerEpoch(6000, 256));
    assertEquals(2, VlmPretrainer.stepsPerEpoch(513, 256));
    assertEquals(3, VlmPretrainer.stepsPerEpoch(514, 256));
  }

  @Test
  void vocabularyCoversPromptsCaptionWordsAndColours() throws IOException {
    CaptionSet set = CaptionSet.read(SyntheticFixture.captionsOnly());
    var vocabulary = VlmPretrainer.vocabularyFor(set);
    for (String token : List.of("a", "photo", "of", ".", "an", "and", ",", "crescent", "red", "white")) {
      assertTrue(vocabulary.tokens().contains(token), token);
    }
  }

  static CaptionSet subset(CaptionSet set, int from, int to) {
    return new CaptionSet(set.directory(), set.images().subList(from, to), set.contentHash());
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int k = 0; k < a.length; k++) {
      sum += a[k] * b[k];
    }
    return sum;
  }
}
