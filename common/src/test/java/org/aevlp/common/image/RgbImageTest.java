package org.aevlp.common.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class RgbImageTest {

  @Test
  void horizontalFlipMirrorsEveryRow() {
    // 3x2 image, pixels written as (r, g, b) triples row by row
    byte[] rgb = {
      1, 2, 3, 4, 5, 6, 7, 8, 9,
      10, 11, 12, 13, 14, 15, 16, 17, 18
    };
    byte[] mirrored = {
      7, 8, 9, 4, 5, 6, 1, 2, 3,
      16, 17, 18, 13, 14, 15, 10, 11, 12
    };
    RgbImage flipped = RgbImage.of(3, 2, rgb).flipHorizontal();
    assertArrayEquals(mirrored, flipped.rgbBytes());
    assertEquals(RgbImage.of(3, 2, rgb), flipped.flipHorizontal());
  }

  @Test
  void bufferedImageRoundTripKeepsChannelsInRgbOrder() {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xff8000);
    image.setRGB(1, 0, 0x0000ff);
    RgbImage rgb = RgbImage.fromBufferedImage(image);
    assertEquals(255, rgb.channel(0, 0, 0));
    assertEquals(128, rgb.channel(0, 0, 1));
    assertEquals(0, rgb.channel(0, 0, 2));
    assertEquals(255, rgb.channel(1, 0, 2));
    assertEquals(0xff8000, rgb.toBufferedImage().getRGB(0, 0) & 0xffffff);
  }

  @Test
  void subImageOfAnIntRgbImageReadsOnlyItsOwnPixels() {
    BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 4; x++) {
        image.setRGB(x, y, x << 16 | y << 8 | 7);
      }
    }
    RgbImage sub = RgbImage.fromBufferedImage(image.getSubimage(1, 1, 2, 2));
    assertEquals(2, sub.width());
    assertEquals(1, sub.channel(0, 0, 0));
    assertEquals(1, sub.channel(0, 0, 1));
    assertEquals(2, sub.channel(1, 1, 0));
    assertEquals(2, sub.channel(1, 1, 1));
    assertEquals(7, sub.channel(1, 1, 2));
  }

  @Test
  void cropOutsideTheImageIsRejected() {
    RgbImage image = RgbImage.of(4, 4, new byte[48]);
    assertThrows(IllegalArgumentException.class, () -> image.crop(2, 2, 3, 1));
    assertThrows(IllegalArgumentException.class, () -> RgbImage.of(4, 4, new byte[47]));
  }
}
