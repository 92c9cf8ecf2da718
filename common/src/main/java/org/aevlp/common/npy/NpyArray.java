package org.aevlp.common.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * An immutable 1-D or 2-D array read from a {@code .npy} file, in C (row-major) order.
 *
 * <p>Numeric dtypes are kept as the file's bytes and converted on access: every numeric dtype
 * reads as {@code double} (and {@code float}); bool reads as 0 or 1; {@code <i8} values beyond
 * 2^53 lose precision as doubles. Unicode arrays are decoded once, when read, to Java strings.
 * A 1-D array is a vector: the matrix accessors require a 2-D array, the flat accessors take both.
 */
public final class NpyArray {

  private final Path source;
  private final NpyHeader header;
  private final ByteBuffer data;
  private final List<String> strings;

  private NpyArray(Path source, NpyHeader header, ByteBuffer data, List<String> strings) {
    this.source = source;
    this.header = header;
    this.data = data;
    this.strings = strings;
  }

  static NpyArray numeric(Path source, NpyHeader header, byte[] data) {
    return new NpyArray(source, header, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), null);
  }

  static NpyArray unicode(Path source, NpyHeader header, List<String> strings) {
    return new NpyArray(source, header, null, List.copyOf(strings));
  }

  /** The file this array was read from (named in error messages). */
  public Path source() {
    return source;
  }

  /** The element type. */
  public NpyDtype dtype() {
    return header.dtype();
  }

  /** The type string as written in the file, e.g. {@code <f8} or {@code <U17}. */
  public String descr() {
    return header.descr();
  }

  /** The dimensions: one (a vector) or two (rows, columns). */
  public List<Integer> shape() {
    return header.shape();
  }

  /** Number of dimensions, 1 or 2. */
  public int rank() {
    return header.shape().size();
  }

  /** Number of elements. */
  public int size() {
    return (int) header.elementCount();
  }

  /** First dimension: rows of a matrix, length of a vector. */
  public int rows() {
    return header.shape().get(0);
  }

  /** Second dimension of a matrix. */
  public int cols() {
    requireRank2("cols()");
    return header.shape().get(1);
  }

  /** The element at a flat row-major index as a double. */
  public double getDouble(int index) {
    requireNumeric("getDouble");
    return elementAsDouble(index);
  }

  /** The element at (row, col) of a matrix as a double. */
  public double getDouble(int row, int col) {
    requireRank2("getDouble(row, col)");
    if (row < 0 || row >= rows() || col < 0 || col >= cols()) {
      throw new IndexOutOfBoundsException(
          source + ": (" + row + ", " + col + ") outside shape " + shape());
    }
    return getDouble(row * cols() + col);
  }

  /** All elements, row-major, as doubles. */
  public double[] toDoubles() {
    requireNumeric("toDoubles");
    double[] values = new double[size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = elementAsDouble(i);
    }
    return values;
  }

  /** All elements, row-major, as floats (float64 values are rounded to nearest). */
  public float[] toFloats() {
    requireNumeric("toFloats");
    float[] values = new float[size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = dtype() == NpyDtype.FLOAT32 ? data.getFloat(i * 4) : (float) elementAsDouble(i);
    }
    return values;
  }

  /** A 2-D numeric array as {@code double[rows][cols]}. */
  public double[][] toDoubleMatrix() {
    requireRank2("toDoubleMatrix");
    requireNumeric("toDoubleMatrix");
    double[][] matrix = new double[rows()][cols()];
    for (int r = 0; r < matrix.length; r++) {
      for (int c = 0; c < matrix[r].length; c++) {
        matrix[r][c] = elementAsDouble(r * cols() + c);
      }
    }
    return matrix;
  }

  /** A 2-D numeric array as {@code float[rows][cols]}. */
  public float[][] toFloatMatrix() {
    requireRank2("toFloatMatrix");
    float[] flat = toFloats();
    float[][] matrix = new float[rows()][cols()];
    for (int r = 0; r < matrix.length; r++) {
      System.arraycopy(flat, r * cols(), matrix[r], 0, cols());
    }
    return matrix;
  }

  /** The strings of a unicode array, row-major, with NumPy's trailing NUL padding removed. */
  public List<String> toStrings() {
    if (strings == null) {
      throw new IllegalStateException(
          source + ": toStrings needs a unicode (<U) array, this one is " + descr());
    }
    return strings;
  }

  private double elementAsDouble(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException(source + ": index " + index + " outside " + size() + " elements");
    }
    return switch (dtype()) {
      case FLOAT64 -> data.getDouble(index * 8);
      case FLOAT32 -> data.getFloat(index * 4);
      case BOOL -> data.get(index) != 0 ? 1.0 : 0.0;
      case INT64 -> data.getLong(index * 8);
      case INT32 -> data.getInt(index * 4);
      case INT8 -> data.get(index);
      case UINT8 -> data.get(index) & 0xff;
      case UNICODE -> throw new IllegalStateException("unreachable: unicode is not numeric");
    };
  }

  private void requireNumeric(String operation) {
    if (!dtype().isNumeric()) {
      throw new IllegalStateException(
          source + ": " + operation + " needs a numeric array, this one is " + descr());
    }
  }

  private void requireRank2(String operation) {
    if (rank() != 2) {
      throw new IllegalStateException(
          source + ": " + operation + " needs a 2-D array, this one has shape " + shape());
    }
  }

  @Override
  public String toString() {
    return "NpyArray[" + source + ", " + descr() + ", shape " + shape() + "]";
  }
}
