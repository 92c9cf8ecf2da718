package org.aevlp.worker.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The golden README's comparisons: relative on scalars, relative to the largest entry on matrices. */
final class Closeness {

  private Closeness() {}

  /** {@code |actual - expected| <= rtol·|expected|}. */
  static void assertRelative(double expected, double actual, double rtol, String what) {
    assertTrue(
        Math.abs(actual - expected) <= rtol * Math.abs(expected),
        () -> what + ": expected " + expected + ", got " + actual + " (rtol " + rtol + ")");
  }

  /** {@code max |actual - expected| <= tol·max|expected|}, the gradient tolerance of the README. */
  static void assertRelativeToMax(double[][] expected, double[][] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": rows");
    double maxRef = 0;
    double maxErr = 0;
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i].length, actual[i].length, what + ": columns of row " + i);
      for (int j = 0; j < expected[i].length; j++) {
        maxRef = Math.max(maxRef, Math.abs(expected[i][j]));
        maxErr = Math.max(maxErr, Math.abs(actual[i][j] - expected[i][j]));
      }
    }
    double bound = tol * maxRef;
    double err = maxErr;
    assertTrue(err <= bound, () -> what + ": max error " + err + " exceeds " + bound);
  }

  /** Element-wise {@code |actual - expected| <= atol + rtol·|expected|}. */
  static void assertElementwise(
      double[][] expected, double[][] actual, double atol, double rtol, String what) {
    assertEquals(expected.length, actual.length, what + ": rows");
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        double e = expected[i][j];
        double a = actual[i][j];
        int row = i;
        int col = j;
        assertTrue(
            Math.abs(a - e) <= atol + rtol * Math.abs(e),
            () -> what + "[" + row + "][" + col + "]: expected " + e + ", got " + a);
      }
    }
  }
}
