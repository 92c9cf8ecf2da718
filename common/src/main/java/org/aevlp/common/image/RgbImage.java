package org.aevlp.common.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Arrays;

/**
 * An immutable 8-bit RGB image, stored row-major with interleaved channels ({@code H×W×3}).
 *
 * <p>Every image the pipeline handles is converted to this form once after decoding, so later
 * steps (crop, flip, resize, tensor conversion) never depend on the colour model ImageIO chose.
 */
public final class RgbImage {

  private final int width;
  private final int height;
  private final byte[] rgb;

  private RgbImage(int width, int height, byte[] rgb) {
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /** An image from interleaved RGB bytes ({@code rgb[(y·width + x)·3 + c]}); the array is copied. */
  public static RgbImage of(int width, int height, byte[] rgb) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException(
          "rgb must hold width*height*3 = " + (width * height * 3) + " bytes, got " + rgb.length);
    }
    return new RgbImage(width, height, rgb.clone());
  }

  /** Takes ownership of {@code rgb} without copying; only for arrays no one else holds. */
  static RgbImage wrap(int width, int height, byte[] rgb) {
    return new RgbImage(width, height, rgb);
  }

  /**
   * Converts any ImageIO result (grey, palette, alpha, ...) to RGB; alpha is dropped. Plain
   * {@code TYPE_INT_RGB} images are read straight from their int buffer.
   */
  public static RgbImage fromBufferedImage(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = ownsWholeIntBuffer(image) ? intBuffer(image) : image.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < argb.length; i++) {
      rgb[i * 3] = (byte) (argb[i] >>> 16);
      rgb[i * 3 + 1] = (byte) (argb[i] >>> 8);
      rgb[i * 3 + 2] = (byte) argb[i];
    }
    return new RgbImage(w, h, rgb);
  }

  /** True for a TYPE_INT_RGB image that is not a sub-image view of a larger buffer. */
  private static boolean ownsWholeIntBuffer(BufferedImage image) {
    return image.getType() == BufferedImage.TYPE_INT_RGB
        && image.getRaster().getParent() == null
        && image.getRaster().getSampleModelTranslateX() == 0
        && image.getRaster().getSampleModelTranslateY() == 0
        && image.getRaster().getDataBuffer().getSize() == image.getWidth() * image.getHeight();
  }

  private static int[] intBuffer(BufferedImage image) {
    return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
  }

  /** A {@link BufferedImage#TYPE_INT_RGB} copy, e.g. for PNG encoding. */
  public BufferedImage toBufferedImage() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] packed = intBuffer(image);
    for (int i = 0; i < packed.length; i++) {
      packed[i] = (rgb[i * 3] & 0xff) << 16 | (rgb[i * 3 + 1] & 0xff) << 8 | (rgb[i * 3 + 2] & 0xff);
    }
    return image;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel (x, y), in 0..255. */
  public int channel(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xff;
  }

  /** A copy of the interleaved RGB bytes. */
  public byte[] rgbBytes() {
    return rgb.clone();
  }

  /** The backing array itself, for package-internal readers that do not modify it. */
  byte[] sharedBytes() {
    return rgb;
  }

  /** The {@code w×h} region whose top-left pixel is (x, y); it must lie inside the image. */
  public RgbImage crop(int x, int y, int w, int h) {
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
      throw new IllegalArgumentException(
          "crop (" + x + ", " + y + ", " + w + "x" + h + ") must lie inside the " + width + "x" + height + " image");
    }
    byte[] out = new byte[w * h * 3];
    for (int row = 0; row < h; row++) {
      System.arraycopy(rgb, ((y + row) * width + x) * 3, out, row * w * 3, w * 3);
    }
    return new RgbImage(w, h, out);
  }

  /** The mirror image: pixel (x, y) of the result is pixel (width-1-x, y) of this one. */
  public RgbImage flipHorizontal() {
    byte[] out = new byte[rgb.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int from = (y * width + (width - 1 - x)) * 3;
        int to = (y * width + x) * 3;
        out[to] = rgb[from];
        out[to + 1] = rgb[from + 1];
        out[to + 2] = rgb[from + 2];
      }
    }
    return new RgbImage(width, height, out);
  }

  /** Pixel-exact equality (same size, same bytes). */
  @Override
  public boolean equals(Object other) {
    return other instanceof RgbImage that
        && width == that.width
        && height == that.height
        && Arrays.equals(rgb, that.rgb);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(rgb);
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "x" + height + "]";
  }
}
