package org.aevlp.common.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Decodes JPEG/PNG (any format the JDK's ImageIO reads) to {@link RgbImage} and encodes PNG.
 *
 * <p>Streams are memory-cached explicitly: ImageIO's default may spill to temporary files, which
 * is slow and leaves a decoder dependent on a writable temp directory. PNG output is a pure
 * function of the pixels (the JDK writer uses fixed deflate settings and writes no timestamp).
 */
public final class ImageCodec {

  private ImageCodec() {}

  /**
   * Largest image decoded by default: 50 megapixels (about 200 MB as a decoded ARGB raster), far
   * above any training image and below what a few decoding threads can hold at once.
   */
  public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

  /** Decodes an encoded image of at most {@link #DEFAULT_MAX_PIXELS}; throws with the reason otherwise. */
  public static RgbImage decode(byte[] encoded) throws IOException {
    return decode(encoded, DEFAULT_MAX_PIXELS);
  }

  /**
   * Decodes an encoded image; throws with the reason when the bytes are not a readable image or
   * its header declares more than {@code maxPixels} pixels (checked before any pixel is allocated).
   */
  public static RgbImage decode(byte[] encoded, long maxPixels) throws IOException {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
      return decode(in, maxPixels);
    }
  }

  /** Reads and decodes a file of at most {@link #DEFAULT_MAX_PIXELS}; a missing file raises {@link java.nio.file.NoSuchFileException}. */
  public static RgbImage decode(Path file) throws IOException {
    return decode(file, DEFAULT_MAX_PIXELS);
  }

  /**
   * Reads and decodes a file of at most {@code maxPixels}, streaming it: a huge file that is not an
   * image is refused after its first bytes, never read whole.
   */
  public static RgbImage decode(Path file, long maxPixels) throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file);
        ImageInputStream in = new MemoryCacheImageInputStream(Channels.newInputStream(channel))) {
      return decode(in, maxPixels);
    }
  }

  private static RgbImage decode(ImageInputStream in, long maxPixels) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new IOException("not an image in a format ImageIO can read");
    }
    ImageReader reader = readers.next();
    String format = reader.getFormatName();
    try {
      reader.setInput(in, true, true);
      // the header alone: a 20000x20000 claim is refused before its raster is allocated
      long width;
      long height;
      try {
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } catch (IOException | RuntimeException e) {
        throw corrupt(format, e);
      }
      if (width * height > maxPixels) {
        throw new IOException("image size " + width + "x" + height + " = " + width * height
            + " pixels exceeds the limit of " + maxPixels + " pixels (max pixels)");
      }
      try {
        return RgbImage.fromBufferedImage(reader.read(0));
      } catch (IOException | RuntimeException e) {
        throw corrupt(format, e);
      }
    } finally {
      reader.dispose();
    }
  }

  /**
   * ImageIO's readers signal some malformed inputs with unchecked exceptions, whose class names
   * mean nothing to whoever sent the image: the message says what is known without them.
   */
  private static IOException corrupt(String format, Exception e) {
    String detail = e.getMessage() == null ? "the decoder rejected it" : e.getMessage();
    return new IOException("corrupt " + format + " data: " + detail, e);
  }

  /** The PNG encoding of {@code image} (8-bit RGB, no alpha). */
  public static byte[] encodePng(RgbImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.width() * image.height() * 2);
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      if (!ImageIO.write(image.toBufferedImage(), "png", out)) {
        throw new IllegalStateException("this JDK has no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("encoding PNG in memory", e);
    }
    return bytes.toByteArray();
  }

  /** Writes {@code image} as a PNG file. */
  public static void writePng(RgbImage image, Path file) throws IOException {
    Files.write(file, encodePng(image));
  }
}
