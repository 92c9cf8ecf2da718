package org.aevlp.labeler.damp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class DampParamsTest {

  @Test
  void numberOfNegativesTruncatesTheDoubleProduct() {
    assertEquals(28, params(0.58, 50).numNegatives()); // 28.999999999999996
    assertEquals(16, params(0.2, 81).numNegatives());
    assertEquals(24, params(0.3, 80).numNegatives());
    assertEquals(62, params(0.2, 312).numNegatives());
    assertEquals(0, params(0.04, 20).numNegatives());
  }

  @Test
  void etaCapIsTheFloat32Value() {
    DampParams params = new DampParams(0.01, 0.3, 0.5, 2, 3, 0.2, 20, false);
    assertEquals(0.30000001192092896, params.etaCap(), 0.0);
    assertEquals(5, params.viewCount());
  }

  @Test
  void rejectsOutOfRangeValuesNamingTheField() {
    assertRejected("temp", () -> new DampParams(0.0, 0.3, 0.5, 2, 3, 0.2, 20, false));
    assertRejected("temp", () -> new DampParams(Double.NaN, 0.3, 0.5, 2, 3, 0.2, 20, false));
    assertRejected("eta", () -> new DampParams(0.01, 1.5, 0.5, 2, 3, 0.2, 20, false));
    assertRejected("threshold", () -> new DampParams(0.01, 0.3, -0.1, 2, 3, 0.2, 20, false));
    assertRejected("grid_size", () -> new DampParams(0.01, 0.3, 0.5, 0, 3, 0.2, 20, false));
    assertRejected("top_k", () -> new DampParams(0.01, 0.3, 0.5, 2, 0, 0.2, 20, false));
    assertRejected("top_k", () -> new DampParams(0.01, 0.3, 0.5, 2, 21, 0.2, 20, false));
    assertRejected("negative_ratio", () -> new DampParams(0.01, 0.3, 0.5, 2, 3, Double.NaN, 20, false));
    assertRejected("num_classes", () -> new DampParams(0.01, 0.3, 0.5, 2, 1, 0.2, 0, false));
  }

  private static DampParams params(double negativeRatio, int numClasses) {
    return new DampParams(0.01, 0.3, 0.5, 2, 1, negativeRatio, numClasses, false);
  }

  private static void assertRejected(String field, Executable construction) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
    assertTrue(e.getMessage().contains("DampParams." + field + " "), e.getMessage());
  }
}
