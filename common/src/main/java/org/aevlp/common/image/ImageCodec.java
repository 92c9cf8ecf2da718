package org.aevlp.common.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  /** Decodes an encoded image; throws with the reason when the bytes are not a readable image. */
  public static RgbImage decode(byte[] encoded) throws IOException {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException("not an image in a format ImageIO can read");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return RgbImage.fromBufferedImage(reader.read(0));
      } catch (IOException e) {
        throw new IOException("corrupt " + reader.getFormatName() + " data: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        // ImageIO's readers signal some malformed inputs with unchecked exceptions
        throw new IOException("corrupt " + reader.getFormatName() + " data (" + e + ")", e);
      } finally {
        reader.dispose();
      }
    }
  }

  /** Reads and decodes a file; a missing file raises {@link java.nio.file.NoSuchFileException}. */
  public static RgbImage decode(Path file) throws IOException {
    return decode(Files.readAllBytes(file));
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
