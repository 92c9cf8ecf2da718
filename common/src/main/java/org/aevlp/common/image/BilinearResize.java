package org.aevlp.common.image;

/**
 * Bilinear resampling with half-pixel centres (the {@code align_corners=False} convention of
 * PyTorch and torchvision): output pixel {@code i} samples the source at
 * {@code s = (i + 0.5)·(in/out) − 0.5}, clamped to {@code [0, in−1]}, and blends the two
 * neighbours {@code floor(s)} and {@code floor(s)+1} with weights {@code 1−(s−floor s)} and
 * {@code s−floor s} along each axis; results are rounded to the nearest 8-bit value.
 *
 * <p>No anti-aliasing filter is applied when shrinking (as in {@code F.interpolate}); every weight
 * is non-negative and each pair sums to one, so a constant image stays exactly constant.
 */
public final class BilinearResize {

  private BilinearResize() {}

  /** Resizes to {@code size×size}. */
  public static RgbImage toSquare(RgbImage image, int size) {
    return resize(image, size, size);
  }

  /** Resizes to {@code width×height}. */
  public static RgbImage resize(RgbImage image, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
    }
    if (width == image.width() && height == image.height()) {
      return image;
    }
    Axis xs = Axis.of(image.width(), width);
    Axis ys = Axis.of(image.height(), height);
    byte[] src = image.sharedBytes();
    int srcStride = image.width() * 3;
    byte[] out = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      int row0 = ys.low[y] * srcStride;
      int row1 = ys.high[y] * srcStride;
      double wy = ys.weight[y];
      for (int x = 0; x < width; x++) {
        int col0 = xs.low[x] * 3;
        int col1 = xs.high[x] * 3;
        double wx = xs.weight[x];
        for (int c = 0; c < 3; c++) {
          double top = (src[row0 + col0 + c] & 0xff) * (1 - wx) + (src[row0 + col1 + c] & 0xff) * wx;
          double bottom = (src[row1 + col0 + c] & 0xff) * (1 - wx) + (src[row1 + col1 + c] & 0xff) * wx;
          double value = top * (1 - wy) + bottom * wy;
          out[(y * width + x) * 3 + c] = (byte) Math.min(255, (int) (value + 0.5));
        }
      }
    }
    return RgbImage.wrap(width, height, out);
  }

  /** Source neighbours and blend weight of every output coordinate along one axis. */
  private static final class Axis {
    final int[] low;
    final int[] high;
    final double[] weight;

    private Axis(int n) {
      low = new int[n];
      high = new int[n];
      weight = new double[n];
    }

    static Axis of(int in, int out) {
      Axis axis = new Axis(out);
      double scale = (double) in / out;
      for (int i = 0; i < out; i++) {
        double s = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), in - 1);
        int lo = (int) Math.floor(s);
        axis.low[i] = lo;
        axis.high[i] = Math.min(lo + 1, in - 1);
        axis.weight[i] = s - lo;
      }
      return axis;
    }
  }
}
