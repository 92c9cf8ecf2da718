package org.aevlp.labeler.views;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.aevlp.common.image.RgbImage;
import org.aevlp.common.image.ViewFlips;
import org.junit.jupiter.api.Test;

class ViewRendererTest {

  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  /** A 4x4 image whose 2x2 quadrants are solid red, green, blue and white (row-major). */
  private static RgbImage quadrants() {
    int[][] colours = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    byte[] rgb = new byte[4 * 4 * 3];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        int[] colour = colours[(y / 2) * 2 + x / 2];
        for (int c = 0; c < 3; c++) {
          rgb[(y * 4 + x) * 3 + c] = (byte) colour[c];
        }
      }
    }
    return RgbImage.of(4, 4, rgb);
  }

  /** A 3-wide, 1-high image with distinct greys 0, 100, 200: asymmetric left to right. */
  private static RgbImage ramp() {
    return RgbImage.of(3, 1, new byte[] {0, 0, 0, 100, 100, 100, (byte) 200, (byte) 200, (byte) 200});
  }

  /** An 8x8 image whose red rises and blue falls from left to right: every crop is asymmetric. */
  private static RgbImage horizontalGradient() {
    byte[] rgb = new byte[8 * 8 * 3];
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        rgb[(y * 8 + x) * 3] = (byte) (x * 30);
        rgb[(y * 8 + x) * 3 + 1] = (byte) (y * 30);
        rgb[(y * 8 + x) * 3 + 2] = (byte) (255 - x * 30);
      }
    }
    return RgbImage.of(8, 8, rgb);
  }

  private static float normalised(int value, int channel) {
    return (value / 255f - MEAN[channel]) / STD[channel];
  }

  @Test
  void globalViewIsTheWholeImageImagenetNormalisedChannelMajor() {
    float[] view = new ViewRenderer(3).render(ramp(), 1, 0, false);
    assertEquals(3 * 3 * 3, view.length);
    // 3x1 → 3x3: rows repeat, so plane c, row y, column x holds ramp[x] normalised with channel c.
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 3; y++) {
        assertEquals(normalised(0, c), view[(c * 3 + y) * 3], 1e-6);
        assertEquals(normalised(100, c), view[(c * 3 + y) * 3 + 1], 1e-6);
        assertEquals(normalised(200, c), view[(c * 3 + y) * 3 + 2], 1e-6);
      }
    }
  }

  @Test
  void tileViewIndexIsOnePlusRowTimesGridPlusColumn() {
    ViewRenderer renderer = new ViewRenderer(2);
    int[][] expected = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    for (int tile = 0; tile < 4; tile++) {
      float[] view = renderer.render(quadrants(), 2, 1 + tile, false);
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < 4; i++) {
          assertEquals(normalised(expected[tile][c], c), view[c * 4 + i], 1e-6, "tile " + tile + " channel " + c);
        }
      }
    }
  }

  @Test
  void flippedViewIsTheMirrorOfTheUnflippedOne() {
    ViewRenderer renderer = new ViewRenderer(3);
    float[] plain = renderer.render(ramp(), 1, 0, false);
    float[] flipped = renderer.render(ramp(), 1, 0, true);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 3; x++) {
          assertEquals(plain[(c * 3 + y) * 3 + (2 - x)], flipped[(c * 3 + y) * 3 + x], 0);
        }
      }
    }
    assertFalse(Arrays.equals(plain, flipped));
  }

  @Test
  void flippingATileMirrorsOnlyThatTile() {
    // Tile 1 of a 2x2 grid over a 4x2 image whose top-left tile is a ramp 10, 20 (one row each).
    byte[] rgb = new byte[4 * 2 * 3];
    int[] greys = {10, 20, 30, 40, 50, 60, 70, 80};
    for (int i = 0; i < greys.length; i++) {
      rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = (byte) greys[i];
    }
    RgbImage image = RgbImage.of(4, 2, rgb);
    float[] flipped = new ViewRenderer(2).render(image, 2, 1, true);
    // The tile is pixels (0,0)=10 and (1,0)=20, resized 2x1 → 2x2; mirrored: 20, 10 on both rows.
    assertEquals(normalised(20, 0), flipped[0], 1e-6);
    assertEquals(normalised(10, 0), flipped[1], 1e-6);
    assertEquals(normalised(20, 0), flipped[2], 1e-6);
    assertEquals(normalised(10, 0), flipped[3], 1e-6);
  }

  @Test
  void renderAllFollowsTheSeededFlipsOfEachView() {
    ViewRenderer renderer = new ViewRenderer(4);
    ViewFlips flips = new ViewFlips(1234);
    RgbImage image = horizontalGradient();
    int epoch = 3;
    int sample = 17;
    List<float[]> views = renderer.renderAll(image, 2, flips, epoch, sample);
    assertEquals(5, views.size());
    // Every view of this image is asymmetric left to right, so a wrong flip would show.
    for (int v = 0; v < 5; v++) {
      boolean flipped = flips.isFlipped(epoch, sample, v);
      assertArrayEquals(renderer.render(image, 2, v, flipped), views.get(v), "view " + v);
      assertFalse(Arrays.equals(renderer.render(image, 2, v, !flipped), views.get(v)), "view " + v);
    }
  }

  @Test
  void viewsAreResizedToTheInputSize() {
    assertEquals(3 * 7 * 7, new ViewRenderer(7).render(quadrants(), 2, 4, false).length);
  }

  @Test
  void rejectsViewsOutsideTheGrid() {
    ViewRenderer renderer = new ViewRenderer(4);
    assertThrows(IllegalArgumentException.class, () -> renderer.render(quadrants(), 2, 5, false));
    assertThrows(IllegalArgumentException.class, () -> renderer.render(quadrants(), 2, -1, false));
    assertThrows(IllegalArgumentException.class, () -> renderer.render(quadrants(), 5, 1, false));
    assertThrows(IllegalArgumentException.class, () -> new ViewRenderer(0));
  }
}
