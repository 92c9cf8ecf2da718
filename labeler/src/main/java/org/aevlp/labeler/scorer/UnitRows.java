package org.aevlp.labeler.scorer;

/**
 * Scales embedding rows to unit L2 norm, {@code e / ||e||_2}, so that dot products are cosine
 * similarities (DESIGN.md §4). The arithmetic is in double and rounded to float once; a zero (or
 * non-finite) row has no direction and is an error naming where it came from.
 */
final class UnitRows {

  private UnitRows() {}

  /**
   * @param flat {@code rows × cols} values, row-major
   * @param source what produced the rows, for the error message (a file name)
   */
  static float[][] of(double[] flat, int rows, int cols, String source) {
    if (flat.length != (long) rows * cols) {
      throw new IllegalArgumentException(
          source + ": expected " + rows + "×" + cols + " values, got " + flat.length);
    }
    float[][] unit = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      double squares = 0;
      for (int c = 0; c < cols; c++) {
        squares += flat[r * cols + c] * flat[r * cols + c];
      }
      if (!(squares > 0) || !Double.isFinite(squares)) {
        throw new IllegalStateException(
            source + ": embedding row " + r + " has squared norm " + squares
                + "; it cannot be scaled to unit length");
      }
      double norm = Math.sqrt(squares);
      for (int c = 0; c < cols; c++) {
        unit[r][c] = (float) (flat[r * cols + c] / norm);
      }
    }
    return unit;
  }
}
