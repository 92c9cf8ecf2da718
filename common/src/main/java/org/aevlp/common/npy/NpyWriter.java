package org.aevlp.common.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes NumPy {@code .npy} files (format version 1.0, C order, little-endian) in the dtypes the
 * SPML "formatted" layout uses: {@code <f8} matrices, {@code <f4} matrices and fixed-width
 * {@code <U} string vectors.
 *
 * <p>Output is a pure function of the input, so the same data gives byte-identical files. The
 * header follows numpy's own layout rule (growth room for the first dimension, then padding to a
 * 64-byte boundary), so the bytes equal what {@code numpy.save} writes for the same array.
 */
public final class NpyWriter {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

  private static final int ARRAY_ALIGN = 64;
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;

  private NpyWriter() {}

  /** Writes a rows x cols float64 matrix given row-major. */
  public static void writeFloat64(Path file, double[] rowMajor, int rows, int cols) throws IOException {
    requireSize(rowMajor.length, rows, cols);
    ByteBuffer data = ByteBuffer.allocate(rowMajor.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    data.asDoubleBuffer().put(rowMajor);
    write(file, "<f8", "(" + rows + ", " + cols + ")", rows, data.array());
  }

  /** Writes a rows x cols float32 matrix given row-major. */
  public static void writeFloat32(Path file, float[] rowMajor, int rows, int cols) throws IOException {
    requireSize(rowMajor.length, rows, cols);
    ByteBuffer data = ByteBuffer.allocate(rowMajor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(rowMajor);
    write(file, "<f4", "(" + rows + ", " + cols + ")", rows, data.array());
  }

  /** Writes a vector of strings as a fixed-width UTF-32LE array ({@code <U<width>}), as numpy does. */
  public static void writeUnicode(Path file, List<String> values) throws IOException {
    int width = 1;
    for (String v : values) {
      width = Math.max(width, v.codePointCount(0, v.length()));
    }
    ByteBuffer data = ByteBuffer.allocate(values.size() * width * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (String v : values) {
      int[] cps = v.codePoints().toArray();
      for (int i = 0; i < width; i++) {
        data.putInt(i < cps.length ? cps[i] : 0);
      }
    }
    write(file, "<U" + width, "(" + values.size() + ",)", values.size(), data.array());
  }

  private static void requireSize(int length, int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("matrix dimensions must be >= 0, got " + rows + " x " + cols);
    }
    if ((long) rows * cols != length) {
      throw new IllegalArgumentException(
          "matrix of " + rows + " x " + cols + " needs " + ((long) rows * cols) + " values, got " + length);
    }
  }

  private static void write(Path file, String descr, String shape, int firstDim, byte[] data)
      throws IOException {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    // numpy leaves room for the first dimension to grow to 21 digits, then pads with spaces and a
    // newline so the data starts on a 64-byte boundary (always at least one space of padding)
    String grown = dict + " ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(firstDim).length());
    int unpadded = MAGIC.length + 2 + grown.length() + 1;
    int padding = ARRAY_ALIGN - unpadded % ARRAY_ALIGN;
    String header = grown + " ".repeat(padding) + "\n";
    byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
    if (headerBytes.length > 0xffff) {
      throw new IllegalArgumentException("header of " + headerBytes.length + " bytes does not fit format 1.0");
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(MAGIC);
      out.write(headerBytes.length & 0xff);
      out.write((headerBytes.length >>> 8) & 0xff);
      out.write(headerBytes);
      out.write(data);
    }
  }
}
