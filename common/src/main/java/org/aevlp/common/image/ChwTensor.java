package org.aevlp.common.image;

/**
 * A float image in channel-major order ({@code C×H×W}, the layout DJL and PyTorch models take):
 * {@code values[(c·height + y)·width + x]}.
 *
 * <p>The array is shared, not copied: the tensor is a view handed from one pipeline step to the
 * next, and no step modifies the array it receives.
 */
public record ChwTensor(int channels, int height, int width, float[] values) {

  public ChwTensor {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "tensor shape must be positive, got " + channels + "x" + height + "x" + width);
    }
    if (values.length != channels * height * width) {
      throw new IllegalArgumentException(
          "values must hold channels*height*width = " + (channels * height * width) + " floats, got " + values.length);
    }
  }

  /** The RGB channels of {@code image} scaled to [0, 1] ({@code v/255}), as torchvision's ToTensor. */
  public static ChwTensor fromImage(RgbImage image) {
    int w = image.width();
    int h = image.height();
    int plane = w * h;
    byte[] rgb = image.sharedBytes();
    float[] values = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      values[i] = (rgb[i * 3] & 0xff) / 255f;
      values[plane + i] = (rgb[i * 3 + 1] & 0xff) / 255f;
      values[2 * plane + i] = (rgb[i * 3 + 2] & 0xff) / 255f;
    }
    return new ChwTensor(3, h, w, values);
  }

  /** The value at channel c, row y, column x. */
  public float get(int c, int y, int x) {
    return values[(c * height + y) * width + x];
  }
}
