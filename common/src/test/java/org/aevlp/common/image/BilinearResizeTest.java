package org.aevlp.common.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BilinearResizeTest {

  private static RgbImage constant(int w, int h, int r, int g, int b) {
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < w * h; i++) {
      rgb[i * 3] = (byte) r;
      rgb[i * 3 + 1] = (byte) g;
      rgb[i * 3 + 2] = (byte) b;
    }
    return RgbImage.of(w, h, rgb);
  }

  @Test
  void constantImageStaysConstantWhenEnlargedOrShrunk() {
    RgbImage image = constant(37, 23, 200, 13, 255);
    for (int size : new int[] {64, 8, 1, 23}) {
      RgbImage resized = BilinearResize.toSquare(image, size);
      assertEquals(size, resized.width());
      assertEquals(size, resized.height());
      assertEquals(constant(size, size, 200, 13, 255), resized, "size " + size);
    }
  }

  @Test
  void upsamplingUsesHalfPixelCentres() {
    // a 2x1 ramp 0 -> 100 doubled in width: torch's interpolate(align_corners=False) gives 0, 25, 75, 100
    RgbImage ramp = RgbImage.of(2, 1, new byte[] {0, 0, 0, 100, 100, 100});
    RgbImage wide = BilinearResize.resize(ramp, 4, 1);
    int[] expected = {0, 25, 75, 100};
    for (int x = 0; x < 4; x++) {
      assertEquals(expected[x], wide.channel(x, 0, 0), "x=" + x);
    }
  }

  @Test
  void halvingAveragesNeighbouringPairs() {
    // shrinking 4 -> 2 samples at source 0.5 and 2.5: the means of pixels (0,1) and (2,3)
    RgbImage row = RgbImage.of(4, 1, new byte[] {10, 0, 0, 20, 0, 0, 100, 0, 0, (byte) 201, 0, 0});
    RgbImage half = BilinearResize.resize(row, 2, 1);
    assertEquals(15, half.channel(0, 0, 0));
    assertEquals(151, half.channel(1, 0, 0));
  }
}
