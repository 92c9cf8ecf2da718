package org.aevlp.common.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset files that are corrupt, truncated, huge or not images (docs/RELIABILITY.md, "Bad
 * input"): each is skipped with a reason and counted, the good images around them decode, and an
 * image whose header claims 20000x20000 pixels is refused from its header, before its raster (1.6 GB)
 * is allocated.
 */
class BadDatasetFilesTest {

  /** Well above what refusing a file from its first bytes allocates, far below one huge raster. */
  private static final long ALLOCATION_BOUND = 16L << 20;

  @TempDir Path dir;

  @Test
  void hugeHeadersAreRefusedBeforeTheirPixelsAreAllocated() throws IOException {
    Path png = write("huge.png", withPngSize(png(gradient(16, 16)), 20_000, 20_000));
    Path jpeg = write("huge.jpg", withJpegSize(jpeg(gradient(16, 16)), 20_000, 20_000));
    for (Path file : List.of(png, jpeg)) {
      long before = allocatedByThisThread();
      IOException refused = assertThrows(IOException.class, () -> ImageCodec.decode(file));
      long allocated = allocatedByThisThread() - before;
      assertEquals("image size 20000x20000 = 400000000 pixels exceeds the limit of 50000000 pixels (max pixels)",
          refused.getMessage());
      assertTrue(allocated < ALLOCATION_BOUND, file + ": refusing it allocated " + allocated + " bytes");
    }
  }

  @Test
  void aHugeFileThatIsNotAnImageIsRefusedWithoutReadingItWhole() throws IOException {
    Path file = dir.resolve("huge-zeros.png");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(1L << 30);
    }
    long before = allocatedByThisThread();
    IOException refused = assertThrows(IOException.class, () -> ImageCodec.decode(file));
    long allocated = allocatedByThisThread() - before;
    assertEquals("not an image in a format ImageIO can read", refused.getMessage());
    assertTrue(allocated < ALLOCATION_BOUND, "refusing a 1 GiB file allocated " + allocated + " bytes");
  }

  @Test
  void theLimitIsConfigurableAndNamedInTheSkipReason() throws Exception {
    Path small = write("small.png", png(gradient(16, 16)));
    try (ParallelImageDecoder decoder = new ParallelImageDecoder(1, 1, new SkippedSampleLog(), 255)) {
      DecodedBatch batch = decoder.decode(List.of(small));
      assertEquals(List.of(), batch.images());
      assertEquals("image size 16x16 = 256 pixels exceeds the limit of 255 pixels (max pixels)",
          batch.skipped().get(0).reason());
    }
  }

  @Test
  void aBatchMixingEveryKindOfBadFileSkipsAndCountsEachAndDecodesTheRest() throws Exception {
    RgbImage picture = gradient(24, 18);
    byte[] goodPng = png(picture);
    byte[] goodJpeg = jpeg(picture);
    SplittableRandom random = new SplittableRandom(7);
    Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
    bad.put("text.png", "label,path\n1,a.png\n".getBytes(StandardCharsets.US_ASCII));
    bad.put("empty.png", new byte[0]);
    bad.put("truncated.png", Arrays.copyOf(goodPng, goodPng.length / 2));
    bad.put("truncated.jpg", Arrays.copyOf(goodJpeg, 40));
    bad.put("header-only.png", Arrays.copyOf(goodPng, 33));
    bad.put("crc-broken.png", flipped(goodPng, 40));
    bad.put("huge.png", withPngSize(goodPng, 20_000, 20_000));
    bad.put("huge.jpg", withJpegSize(goodJpeg, 20_000, 20_000));
    bad.put("zero-width.png", withPngSize(goodPng, 0, 18));
    byte[] noise = new byte[4096];
    random.nextBytes(noise);
    bad.put("noise.jpg", noise);

    List<Path> paths = new ArrayList<>();
    List<Integer> goodIndices = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      goodIndices.add(paths.size());
      paths.add(write("good-" + i + (i % 2 == 0 ? ".png" : ".jpg"), i % 2 == 0 ? goodPng : goodJpeg));
      if (i < bad.size()) {
        String name = new ArrayList<>(bad.keySet()).get(i);
        paths.add(write(name, bad.get(name)));
      }
    }
    try (ParallelImageDecoder decoder = new ParallelImageDecoder(2, 2)) {
      DecodedBatch batch = decoder.decode(paths);
      assertEquals(goodIndices, batch.images().stream().map(DecodedImage::index).toList());
      assertEquals(picture, batch.images().get(0).image(), "PNG decodes losslessly between bad files");
      assertEquals(bad.size(), batch.skipped().size());
      assertEquals(bad.size(), decoder.skippedLog().count());
      for (SkippedSample skipped : batch.skipped()) {
        String name = skipped.path().getFileName().toString();
        assertTrue(!skipped.reason().isBlank() && !skipped.reason().matches(".*\\b(java|javax)\\.[a-z]+\\..*"),
            name + ": " + skipped.reason());
        if (name.startsWith("huge")) {
          assertTrue(skipped.reason().contains("20000x20000") && skipped.reason().contains("max pixels"),
              name + ": " + skipped.reason());
        }
      }
    }
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  private static RgbImage gradient(int w, int h) {
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i * 5);
    }
    return RgbImage.of(w, h, rgb);
  }

  private static byte[] png(RgbImage image) {
    return ImageCodec.encodePng(image);
  }

  private static byte[] jpeg(RgbImage image) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    assertTrue(ImageIO.write(image.toBufferedImage(), "jpg", out));
    return out.toByteArray();
  }

  /** A copy of a PNG whose IHDR claims {@code width x height}, with the chunk's CRC recomputed. */
  private static byte[] withPngSize(byte[] png, int width, int height) {
    byte[] copy = png.clone();
    // signature (8), IHDR length (4), "IHDR" (4), then width and height; CRC over type and data (17 bytes)
    ByteBuffer.wrap(copy, 16, 8).putInt(width).putInt(height);
    CRC32 crc = new CRC32();
    crc.update(copy, 12, 17);
    ByteBuffer.wrap(copy, 29, 4).putInt((int) crc.getValue());
    return copy;
  }

  /** A copy of a JPEG whose start-of-frame claims {@code width x height}. */
  private static byte[] withJpegSize(byte[] jpeg, int width, int height) {
    byte[] copy = jpeg.clone();
    for (int i = 2; i + 9 < copy.length; i++) {
      if ((copy[i] & 0xff) == 0xff && (copy[i + 1] & 0xff) == 0xc0) {
        // marker, length (2), precision (1), height (2), width (2)
        ByteBuffer.wrap(copy, i + 5, 4).putShort((short) height).putShort((short) width);
        return copy;
      }
    }
    throw new IllegalStateException("no baseline start-of-frame in the JPEG");
  }

  private static byte[] flipped(byte[] bytes, int at) {
    byte[] copy = bytes.clone();
    copy[at] ^= 0x5a;
    return copy;
  }
}
