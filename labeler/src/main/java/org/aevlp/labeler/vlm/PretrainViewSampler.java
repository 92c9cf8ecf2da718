package org.aevlp.labeler.vlm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.aevlp.common.image.BilinearResize;
import org.aevlp.common.image.RgbImage;
import org.aevlp.labeler.vlm.PretrainView.Region;

/**
 * Draws the pretraining view of a captioned image (DESIGN.md §6), so that the VLM learns local
 * views as well as whole images:
 *
 * <ul>
 *   <li>with probability {@code 1 − crop_probability} the whole image and all its objects;
 *   <li>otherwise a square crop of side {@code f·min(W, H)} pixels (rounded), {@code f} uniform in
 *       [min_crop_fraction, max_crop_fraction], at a uniform position inside the image, captioned
 *       with only the objects whose centres fall inside it; a crop holding no centre is redrawn (up
 *       to {@value #CROP_ATTEMPTS} times, then the whole image is used);
 *   <li>then resized to the input size (bilinear), mirrored left-right with probability ½, and
 *       captioned with colour words with probability {@code colour_probability}.
 * </ul>
 *
 * The caption is rebuilt from the objects with {@link CaptionComposer} for every view. Mirroring
 * keeps the caption: no caption word depends on left and right.
 */
public final class PretrainViewSampler {

  /** Crops drawn before falling back to the whole image. */
  static final int CROP_ATTEMPTS = 20;

  private final PretrainOptions options;

  public PretrainViewSampler(PretrainOptions options) {
    this.options = options;
  }

  /** The view of {@code image} for one draw of {@code random}. */
  public PretrainView sample(CaptionedImage image, SplittableRandom random) {
    RgbImage pixels = image.image();
    int width = pixels.width();
    int height = pixels.height();
    List<CaptionedObject> objects = image.objects();
    Region region = new Region(0, 0, width, height);
    boolean cropped = false;
    if (random.nextDouble() < options.cropProbability()) {
      for (int attempt = 0; attempt < CROP_ATTEMPTS && !cropped; attempt++) {
        Region crop = drawCrop(width, height, random);
        List<CaptionedObject> inside = objectsInside(image.objects(), crop, width, height);
        if (!inside.isEmpty()) {
          pixels = pixels.crop(crop.x(), crop.y(), crop.width(), crop.height());
          objects = inside;
          region = crop;
          cropped = true;
        }
      }
    }
    pixels = BilinearResize.toSquare(pixels, options.inputSize());
    boolean flipped = random.nextBoolean();
    if (flipped) {
      pixels = pixels.flipHorizontal();
    }
    boolean withColour = random.nextDouble() < options.colourProbability();
    return new PretrainView(
        pixels, CaptionComposer.compose(objects, withColour), objects, region, cropped, flipped,
        withColour);
  }

  /** A square crop of a {@code width×height} image, side and position drawn as described above. */
  Region drawCrop(int width, int height, SplittableRandom random) {
    int shorter = Math.min(width, height);
    double fraction =
        options.minCropFraction()
            + random.nextDouble() * (options.maxCropFraction() - options.minCropFraction());
    int side = Math.max(1, Math.min(shorter, (int) Math.round(fraction * shorter)));
    int x = random.nextInt(width - side + 1);
    int y = random.nextInt(height - side + 1);
    return new Region(x, y, side, side);
  }

  /**
   * The objects whose centre {@code (cx·W, cy·H)} lies in the region's half-open pixel box
   * {@code [x, x+w) × [y, y+h)}, in their original order.
   */
  public static List<CaptionedObject> objectsInside(
      List<CaptionedObject> objects, Region crop, int width, int height) {
    List<CaptionedObject> inside = new ArrayList<>();
    for (CaptionedObject object : objects) {
      if (object.centreInside(
          (double) crop.x() / width,
          (double) crop.y() / height,
          (double) crop.width() / width,
          (double) crop.height() / height)) {
        inside.add(object);
      }
    }
    return inside;
  }
}
