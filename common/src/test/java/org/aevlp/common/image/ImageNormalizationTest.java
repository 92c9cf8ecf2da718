package org.aevlp.common.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageNormalizationTest {

  @Test
  void imagenetNormalisationOfKnownPixels() {
    // 2x1 image: pixel 0 = (255, 0, 128), pixel 1 = (0, 255, 51)
    RgbImage image = RgbImage.of(2, 1, new byte[] {(byte) 255, 0, (byte) 128, 0, (byte) 255, 51});
    ChwTensor tensor = ImageNormalization.IMAGENET.toTensor(image);
    assertEquals(3, tensor.channels());
    assertEquals(1, tensor.height());
    assertEquals(2, tensor.width());
    // (1 - 0.485)/0.229, (0 - 0.456)/0.224, (128/255 - 0.406)/0.225
    assertEquals(2.2489083f, tensor.get(0, 0, 0), 1e-5f);
    assertEquals(-2.0357143f, tensor.get(1, 0, 0), 1e-5f);
    assertEquals(0.4264924f, tensor.get(2, 0, 0), 1e-5f);
    // (0 - 0.485)/0.229, (1 - 0.456)/0.224, (0.2 - 0.406)/0.225
    assertEquals(-2.1179039f, tensor.get(0, 0, 1), 1e-5f);
    assertEquals(2.4285714f, tensor.get(1, 0, 1), 1e-5f);
    assertEquals(-0.9155556f, tensor.get(2, 0, 1), 1e-5f);
  }

  @Test
  void chwLayoutPutsEachChannelInItsOwnPlane() {
    RgbImage image = RgbImage.of(2, 1, new byte[] {(byte) 255, 0, 0, 0, 0, (byte) 255});
    float[] values = ChwTensor.fromImage(image).values();
    assertEquals(6, values.length);
    float[] expected = {1, 0, 0, 0, 0, 1};
    for (int i = 0; i < 6; i++) {
      assertEquals(expected[i], values[i], 0f, "index " + i);
    }
  }

  @Test
  void rejectsNonPositiveStd() {
    assertThrows(IllegalArgumentException.class, () -> new ImageNormalization(new float[] {0}, new float[] {0}));
  }
}
