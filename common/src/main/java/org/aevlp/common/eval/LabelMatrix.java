package org.aevlp.common.eval;

/**
 * Read-only rectangular view of an integer label matrix given as {@code int[][]} or {@code
 * byte[][]}, so the metrics accept either without copying. The field name is kept for error
 * messages.
 */
final class LabelMatrix {

  private final String field;
  private final int[][] ints;
  private final byte[][] bytes;
  private final int rows;
  private final int cols;

  private LabelMatrix(String field, int[][] ints, byte[][] bytes, int rows, int cols) {
    this.field = field;
    this.ints = ints;
    this.bytes = bytes;
    this.rows = rows;
    this.cols = cols;
  }

  static LabelMatrix of(String field, int[][] values) {
    requireNonNull(field, values);
    int cols = values.length == 0 ? 0 : rowLength(field, values[0], 0);
    for (int r = 0; r < values.length; r++) {
      requireRowLength(field, rowLength(field, values[r], r), r, cols);
    }
    return new LabelMatrix(field, values, null, values.length, cols);
  }

  static LabelMatrix of(String field, byte[][] values) {
    requireNonNull(field, values);
    int cols = values.length == 0 ? 0 : rowLength(field, values[0], 0);
    for (int r = 0; r < values.length; r++) {
      requireRowLength(field, rowLength(field, values[r], r), r, cols);
    }
    return new LabelMatrix(field, null, values, values.length, cols);
  }

  String field() {
    return field;
  }

  int rows() {
    return rows;
  }

  int cols() {
    return cols;
  }

  int get(int row, int col) {
    return ints != null ? ints[row][col] : bytes[row][col];
  }

  /** Throws unless this matrix is {@code rows x cols}, naming both fields. */
  void requireShape(int expectedRows, int expectedCols, String reference) {
    if (rows != expectedRows || cols != expectedCols) {
      throw new IllegalArgumentException(
          field
              + " is "
              + rows
              + " x "
              + cols
              + " but "
              + reference
              + " is "
              + expectedRows
              + " x "
              + expectedCols);
    }
  }

  /** Throws unless every value is one of {@code allowed}, naming the field and the cell. */
  void requireValuesIn(String rule, int... allowed) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int v = get(r, c);
        boolean ok = false;
        for (int a : allowed) {
          ok |= v == a;
        }
        if (!ok) {
          throw new IllegalArgumentException(
              field + "[" + r + "][" + c + "] = " + v + ": values must be " + rule);
        }
      }
    }
  }

  private static void requireNonNull(String field, Object values) {
    if (values == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
  }

  private static int rowLength(String field, int[] row, int index) {
    if (row == null) {
      throw new IllegalArgumentException(field + "[" + index + "] must not be null");
    }
    return row.length;
  }

  private static int rowLength(String field, byte[] row, int index) {
    if (row == null) {
      throw new IllegalArgumentException(field + "[" + index + "] must not be null");
    }
    return row.length;
  }

  private static void requireRowLength(String field, int length, int row, int expected) {
    if (length != expected) {
      throw new IllegalArgumentException(
          field + "[" + row + "] has " + length + " columns, row 0 has " + expected);
    }
  }
}
