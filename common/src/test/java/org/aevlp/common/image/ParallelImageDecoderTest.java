package org.aevlp.common.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelImageDecoderTest {

  @TempDir Path dir;

  private static RgbImage gradient(int w, int h, int seed) {
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i * 7 + seed * 31);
    }
    return RgbImage.of(w, h, rgb);
  }

  @Test
  void corruptAndMissingFilesAreSkippedCountedAndNeverThrown() throws Exception {
    RgbImage good = gradient(5, 4, 1);
    Path png = dir.resolve("good.png");
    ImageCodec.writePng(good, png);
    Path garbage = dir.resolve("garbage.jpg");
    Files.writeString(garbage, "definitely not an image", StandardCharsets.US_ASCII);
    byte[] encoded = Files.readAllBytes(png);
    Path truncated = dir.resolve("truncated.png");
    Files.write(truncated, Arrays.copyOf(encoded, encoded.length / 2));
    Path missing = dir.resolve("missing.png");

    try (ParallelImageDecoder decoder = new ParallelImageDecoder(2, 2)) {
      DecodedBatch batch = decoder.decode(List.of(garbage, png, missing, truncated));
      assertEquals(1, batch.images().size());
      assertEquals(1, batch.images().get(0).index());
      assertEquals(good, batch.images().get(0).image());
      assertEquals(3, batch.skipped().size());
      assertEquals(List.of(0, 2, 3), batch.skipped().stream().map(SkippedSample::index).toList());
      assertEquals(garbage, batch.skipped().get(0).path());
      assertEquals("file not found", batch.skipped().get(1).reason());
      assertFalse(batch.skipped().get(2).reason().isBlank());
      assertEquals(3, decoder.skippedLog().count());
      assertEquals(3, decoder.skippedLog().counter().get());

      // a second epoch over the same broken files counts them again
      decoder.decode(List.of(missing, garbage));
      assertEquals(5, decoder.skippedLog().count());
    }
  }

  @Test
  void skippedFileIsLoggedOnlyTheFirstTime() {
    SkippedSampleLog log = new SkippedSampleLog();
    Path file = dir.resolve("broken.png");
    assertTrue(log.record(new SkippedSample(0, file, "corrupt")));
    assertFalse(log.record(new SkippedSample(7, file, "corrupt")));
    assertTrue(log.record(new SkippedSample(1, dir.resolve("other.png"), "corrupt")));
    assertEquals(3, log.count());
  }

  @Test
  void batchLargerThanTheQueueDecodesEveryImageInOrderWithTheTransformApplied() throws Exception {
    List<Path> paths = new ArrayList<>();
    List<RgbImage> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      RgbImage image = gradient(6, 6, i);
      Path file = dir.resolve("img" + i + ".png");
      ImageCodec.writePng(image, file);
      paths.add(file);
      expected.add(image.flipHorizontal());
    }
    try (ParallelImageDecoder decoder = new ParallelImageDecoder(2, 1)) {
      DecodedBatch batch = decoder.decode(paths, RgbImage::flipHorizontal);
      assertEquals(25, batch.images().size());
      for (int i = 0; i < 25; i++) {
        assertEquals(i, batch.images().get(i).index());
        assertEquals(expected.get(i), batch.images().get(i).image());
      }
      assertTrue(batch.skipped().isEmpty());
    }
  }

  @Test
  void decodesJpeg() throws Exception {
    RgbImage grey = RgbImage.of(8, 8, filled(8 * 8 * 3, (byte) 120));
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(grey.toBufferedImage(), "jpeg", jpeg));
    RgbImage decoded = ImageCodec.decode(jpeg.toByteArray());
    assertEquals(8, decoded.width());
    assertEquals(8, decoded.height());
    // JPEG is lossy, but a flat grey block survives within a couple of levels
    assertTrue(Math.abs(decoded.channel(3, 3, 1) - 120) <= 2, "decoded " + decoded.channel(3, 3, 1));
  }

  @Test
  void pngEncodingIsDeterministicAndLossless() throws Exception {
    RgbImage image = gradient(17, 9, 3);
    byte[] first = ImageCodec.encodePng(image);
    assertTrue(Arrays.equals(first, ImageCodec.encodePng(RgbImage.of(17, 9, image.rgbBytes()))));
    assertEquals(image, ImageCodec.decode(first));
  }

  private static byte[] filled(int n, byte value) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, value);
    return bytes;
  }
}
