package org.aevlp.common.data;

import java.util.Arrays;

/**
 * An immutable N x C label matrix stored compactly, one byte per entry (COCO's 82k x 80 training
 * labels take 6.6 MB instead of 52 MB as float64).
 *
 * <p>Entries are 1 (positive), 0 (negative for clean labels, unknown for observed labels) or -1
 * (an observed negative, which some single-positive label files carry).
 */
public final class LabelMatrix {

  private final int rows;
  private final int cols;
  private final byte[] values;

  private LabelMatrix(int rows, int cols, byte[] values) {
    this.rows = rows;
    this.cols = cols;
    this.values = values;
  }

  /** A matrix from row-major entries (copied); every entry must be -1, 0 or 1. */
  public static LabelMatrix of(int rows, int cols, byte[] rowMajor) {
    if (rows < 0 || cols < 0 || (long) rows * cols != rowMajor.length) {
      throw new IllegalArgumentException(
          "a " + rows + " x " + cols + " label matrix needs " + ((long) rows * cols) + " entries, got "
              + rowMajor.length);
    }
    for (int i = 0; i < rowMajor.length; i++) {
      if (rowMajor[i] < -1 || rowMajor[i] > 1) {
        throw new IllegalArgumentException(
            "label entry (" + i / Math.max(cols, 1) + ", " + i % Math.max(cols, 1) + ") is " + rowMajor[i]
                + "; labels must be -1, 0 or 1");
      }
    }
    return new LabelMatrix(rows, cols, rowMajor.clone());
  }

  /** A matrix from one row of entries per image (each row cols long). */
  public static LabelMatrix ofRows(int cols, byte[]... rowValues) {
    byte[] flat = new byte[rowValues.length * cols];
    for (int r = 0; r < rowValues.length; r++) {
      if (rowValues[r].length != cols) {
        throw new IllegalArgumentException("row " + r + " has " + rowValues[r].length + " entries, expected " + cols);
      }
      System.arraycopy(rowValues[r], 0, flat, r * cols, cols);
    }
    return of(rowValues.length, cols, flat);
  }

  /** Takes ownership of an already-checked array (loaders build it and never touch it again). */
  static LabelMatrix adopt(int rows, int cols, byte[] rowMajor) {
    return new LabelMatrix(rows, cols, rowMajor);
  }

  /** Number of images. */
  public int rows() {
    return rows;
  }

  /** Number of classes. */
  public int cols() {
    return cols;
  }

  /** The entry of image {@code row} for class {@code col}: -1, 0 or 1. */
  public int get(int row, int col) {
    checkRow(row);
    if (col < 0 || col >= cols) {
      throw new IndexOutOfBoundsException("class " + col + " outside [0, " + cols + ")");
    }
    return values[row * cols + col];
  }

  /** The classes whose entry is 1 in this row, ascending. */
  public int[] positives(int row) {
    checkRow(row);
    int[] found = new int[cols];
    int count = 0;
    for (int c = 0; c < cols; c++) {
      if (values[row * cols + c] == 1) {
        found[count++] = c;
      }
    }
    return Arrays.copyOf(found, count);
  }

  /** The row as floats, e.g. a training target. */
  public float[] rowAsFloats(int row) {
    float[] out = new float[cols];
    copyRowTo(row, out, 0);
    return out;
  }

  /** Writes the row as floats into {@code target} from {@code offset}, e.g. into a batch buffer. */
  public void copyRowTo(int row, float[] target, int offset) {
    checkRow(row);
    for (int c = 0; c < cols; c++) {
      target[offset + c] = values[row * cols + c];
    }
  }

  /** The matrix of the given rows, in the order given. */
  public LabelMatrix selectRows(int[] rowIndices) {
    byte[] picked = new byte[rowIndices.length * cols];
    for (int i = 0; i < rowIndices.length; i++) {
      checkRow(rowIndices[i]);
      System.arraycopy(values, rowIndices[i] * cols, picked, i * cols, cols);
    }
    return new LabelMatrix(rowIndices.length, cols, picked);
  }

  private void checkRow(int row) {
    if (row < 0 || row >= rows) {
      throw new IndexOutOfBoundsException("row " + row + " outside [0, " + rows + ")");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LabelMatrix that
        && rows == that.rows
        && cols == that.cols
        && Arrays.equals(values, that.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "LabelMatrix[" + rows + " x " + cols + "]";
  }
}
