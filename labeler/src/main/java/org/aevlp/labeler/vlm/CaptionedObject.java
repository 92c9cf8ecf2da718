package org.aevlp.labeler.vlm;

/**
 * One object named by a caption, as {@code captions.jsonl} lists it: its class and colour words and
 * its centre and size as fractions of the image side (centre pixel {@code (cx·S, cy·S)}).
 *
 * @param className the class word ("circle")
 * @param colour the colour word ("red")
 * @param cx centre x, fraction of the width, in [0, 1]
 * @param cy centre y, fraction of the height, in [0, 1]
 * @param size extent, fraction of the side, in (0, 1]
 */
public record CaptionedObject(String className, String colour, double cx, double cy, double size) {

  public CaptionedObject {
    if (className == null || className.isBlank()) {
      throw new IllegalArgumentException("objects[].class: must not be blank");
    }
    if (colour == null || colour.isBlank()) {
      throw new IllegalArgumentException("objects[].colour: must not be blank");
    }
    requireFraction("cx", cx);
    requireFraction("cy", cy);
    if (!(size > 0 && size <= 1)) {
      throw new IllegalArgumentException("objects[].size: must be in (0, 1], got " + size);
    }
  }

  /**
   * Whether the centre lies in the half-open box {@code [left, left+width) × [top, top+height)},
   * all fractions of the image side.
   */
  public boolean centreInside(double left, double top, double width, double height) {
    return cx >= left && cx < left + width && cy >= top && cy < top + height;
  }

  private static void requireFraction(String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("objects[]." + field + ": must be in [0, 1], got " + value);
    }
  }
}
