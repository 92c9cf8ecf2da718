package org.aevlp.common.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeClassTest {

  /** The outline filled into a 64x64 mask spanning the whole mask. */
  private static boolean[] mask(ShapeClass shape) {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = image.createGraphics();
    g.setTransform(new AffineTransform(32, 0, 0, 32, 32, 32));
    g.setColor(java.awt.Color.WHITE);
    g.fill(shape.outline());
    g.dispose();
    boolean[] mask = new boolean[64 * 64];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = (image.getRGB(i % 64, i / 64) & 0xff) > 127;
    }
    return mask;
  }

  @Test
  void tenNamedClassesInTheDesignOrder() {
    assertEquals(
        List.of("circle", "square", "triangle", "star", "cross", "ring", "diamond", "heart", "arrow", "crescent"),
        ShapeClass.firstClasses(10).stream().map(ShapeClass::displayName).toList());
    assertEquals(List.of(ShapeClass.CIRCLE, ShapeClass.SQUARE), ShapeClass.firstClasses(2));
  }

  @Test
  void noTwoShapeOutlinesAreNearDuplicates() {
    ShapeClass[] shapes = ShapeClass.values();
    for (int a = 0; a < shapes.length; a++) {
      boolean[] first = mask(shapes[a]);
      for (int b = a + 1; b < shapes.length; b++) {
        boolean[] second = mask(shapes[b]);
        int intersection = 0;
        int union = 0;
        for (int i = 0; i < first.length; i++) {
          intersection += first[i] && second[i] ? 1 : 0;
          union += first[i] || second[i] ? 1 : 0;
        }
        double iou = (double) intersection / union;
        assertTrue(iou < 0.85, shapes[a] + " and " + shapes[b] + " overlap with IoU " + iou);
      }
    }
  }

  @Test
  void outlinesFitTheUnitBoxAndAreNotTiny() {
    for (ShapeClass shape : ShapeClass.values()) {
      var bounds = shape.outline().getBounds2D();
      assertTrue(bounds.getMinX() >= -1 && bounds.getMaxX() <= 1, shape + " " + bounds);
      assertTrue(bounds.getMinY() >= -1 && bounds.getMaxY() <= 1, shape + " " + bounds);
      int area = 0;
      for (boolean inside : mask(shape)) {
        area += inside ? 1 : 0;
      }
      assertTrue(area > 0.2 * 64 * 64, shape + " covers only " + area + " of 4096 pixels");
    }
  }
}
