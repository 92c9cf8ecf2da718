package org.aevlp.labeler.vlm;

import java.util.List;
import org.aevlp.common.image.RgbImage;

/**
 * One image–caption pair of a pretraining batch, with the draws that made it.
 *
 * @param image the view at the model's input size, before normalisation
 * @param caption the caption of exactly {@code objects}
 * @param objects the objects whose centres lie in the region, in drawing order
 * @param region the square (or, for a whole non-square image, the whole) source region in pixels
 * @param cropped whether the region is a random crop (false: the whole image)
 * @param flipped whether the view was mirrored left-right after resizing
 * @param withColour whether the caption names colours
 */
public record PretrainView(
    RgbImage image,
    String caption,
    List<CaptionedObject> objects,
    Region region,
    boolean cropped,
    boolean flipped,
    boolean withColour) {

  public PretrainView {
    objects = List.copyOf(objects);
  }

  /** A rectangle of the source image: top-left pixel (x, y), {@code width×height} pixels. */
  public record Region(int x, int y, int width, int height) {}
}
