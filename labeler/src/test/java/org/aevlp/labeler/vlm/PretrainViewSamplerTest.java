package org.aevlp.labeler.vlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.aevlp.common.image.BilinearResize;
import org.aevlp.common.image.RgbImage;
import org.aevlp.labeler.vlm.PretrainView.Region;
import org.junit.jupiter.api.Test;

class PretrainViewSamplerTest {

  private static final CaptionedObject CIRCLE = new CaptionedObject("circle", "red", 0.25, 0.25, 0.3);
  private static final CaptionedObject STAR = new CaptionedObject("star", "blue", 0.75, 0.3, 0.3);
  private static final CaptionedObject ARROW = new CaptionedObject("arrow", "orange", 0.5, 0.8, 0.3);

  @Test
  void objectsInsideUseHalfOpenPixelBoxesOnCentres() {
    List<CaptionedObject> all = List.of(CIRCLE, STAR, ARROW);
    // CIRCLE's centre is pixel (16, 16) of a 64×64 image; STAR's (48, 19.2); ARROW's (32, 51.2).
    assertEquals(List.of(CIRCLE), PretrainViewSampler.objectsInside(all, new Region(16, 16, 20, 20), 64, 64));
    assertEquals(List.of(), PretrainViewSampler.objectsInside(all, new Region(0, 0, 16, 16), 64, 64));
    assertEquals(List.of(CIRCLE), PretrainViewSampler.objectsInside(all, new Region(0, 0, 17, 17), 64, 64));
    assertEquals(
        List.of(CIRCLE, STAR), PretrainViewSampler.objectsInside(all, new Region(10, 0, 40, 40), 64, 64));
    assertEquals(all, PretrainViewSampler.objectsInside(all, new Region(0, 0, 64, 64), 64, 64));
    assertEquals(List.of(ARROW), PretrainViewSampler.objectsInside(all, new Region(20, 40, 24, 24), 64, 64));
  }

  @Test
  void cropCaptionsListExactlyTheObjectsWhoseCentresAreInside() {
    RgbImage source = gradientImage(64, 64);
    CaptionedImage image = new CaptionedImage("x.png", "caption", List.of(CIRCLE, STAR, ARROW), source);
    PretrainViewSampler sampler = new PretrainViewSampler(options(1.0, 0.5));
    int crops = 0;
    for (int draw = 0; draw < 400; draw++) {
      PretrainView view = sampler.sample(image, new SplittableRandom(draw));
      Region r = view.region();
      List<CaptionedObject> expected = new ArrayList<>();
      for (CaptionedObject o : image.objects()) {
        double px = o.cx() * 64;
        double py = o.cy() * 64;
        if (px >= r.x() && px < r.x() + r.width() && py >= r.y() && py < r.y() + r.height()) {
          expected.add(o);
        }
      }
      assertFalse(expected.isEmpty(), "a view without any object centre: " + r);
      assertEquals(expected, view.objects(), "objects of " + r);
      assertEquals(CaptionComposer.compose(expected, view.withColour()), view.caption());
      if (view.cropped()) {
        crops++;
        assertEquals(r.width(), r.height());
        assertTrue(r.width() >= Math.round(0.33 * 64) && r.width() <= Math.round(0.7 * 64), "side " + r.width());
      }
      RgbImage expectedPixels =
          BilinearResize.toSquare(source.crop(r.x(), r.y(), r.width(), r.height()), 64);
      assertEquals(view.flipped() ? expectedPixels.flipHorizontal() : expectedPixels, view.image());
    }
    assertTrue(crops > 380, "crops with crop_probability 1: " + crops);
  }

  @Test
  void aCropWithoutAnObjectCentreIsRedrawn() {
    CaptionedObject corner = new CaptionedObject("ring", "white", 0.2, 0.2, 0.2);
    CaptionedImage image = new CaptionedImage("x.png", "c", List.of(corner), gradientImage(64, 64));
    PretrainViewSampler sampler = new PretrainViewSampler(options(1.0, 0.5));
    int crops = 0;
    for (int draw = 0; draw < 200; draw++) {
      PretrainView view = sampler.sample(image, new SplittableRandom(draw));
      assertEquals(List.of(corner), view.objects());
      crops += view.cropped() ? 1 : 0;
      if (view.cropped()) {
        assertTrue(view.region().x() <= 12 && view.region().y() <= 12, "crop " + view.region());
      }
    }
    // a crop holds the centre pixel (12.8, 12.8) only when x, y <= 12: about 1 draw in 5 does, so
    // some views need several attempts, and 20 attempts nearly always find one
    assertTrue(crops > 180, "crops kept " + crops);
  }

  @Test
  void wholeViewsCarryEveryObjectAndDrawsFollowTheirProbabilities() {
    CaptionedImage image =
        new CaptionedImage("x.png", "c", List.of(CIRCLE, STAR, ARROW), gradientImage(64, 64));
    PretrainViewSampler sampler = new PretrainViewSampler(options(0.5, 0.5));
    int whole = 0;
    int flipped = 0;
    int coloured = 0;
    int draws = 2000;
    for (int draw = 0; draw < draws; draw++) {
      PretrainView view = sampler.sample(image, new SplittableRandom(1000 + draw));
      if (!view.cropped()) {
        whole++;
        assertEquals(image.objects(), view.objects());
        assertEquals(new Region(0, 0, 64, 64), view.region());
      }
      flipped += view.flipped() ? 1 : 0;
      coloured += view.withColour() ? 1 : 0;
      assertEquals(view.withColour(), view.caption().contains("red") || view.caption().contains("blue")
          || view.caption().contains("orange"));
    }
    for (int count : new int[] {whole, flipped, coloured}) {
      assertTrue(Math.abs(count - draws / 2) < 150, "expected about half of " + draws + ", got " + count);
    }
  }

  @Test
  void captionsFollowTheGeneratorsStyle() {
    assertEquals(
        "a photo of a red circle, a blue star and an orange arrow.",
        CaptionComposer.compose(List.of(CIRCLE, STAR, ARROW), true));
    assertEquals("a photo of an arrow.", CaptionComposer.compose(List.of(ARROW), false));
    assertEquals("a photo of a circle and a star.", CaptionComposer.compose(List.of(CIRCLE, STAR), false));
  }

  /** Every pixel distinct enough that a wrong crop or flip shows. */
  private static RgbImage gradientImage(int width, int height) {
    byte[] rgb = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = (y * width + x) * 3;
        rgb[i] = (byte) (x * 4);
        rgb[i + 1] = (byte) (y * 4);
        rgb[i + 2] = (byte) ((x * 7 + y * 13) % 256);
      }
    }
    return RgbImage.of(width, height, rgb);
  }

  private static PretrainOptions options(double cropProbability, double colourProbability) {
    PretrainOptions d = PretrainOptions.defaults();
    return new PretrainOptions(
        d.epochs(), d.batchSize(), d.learningRate(), d.weightDecay(), d.seed(), 64, cropProbability,
        d.minCropFraction(), d.maxCropFraction(), colourProbability, d.initialTemperature(),
        d.maxLogitScale());
  }
}
