package org.aevlp.common.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LabelMatrixTest {

  private final LabelMatrix matrix =
      LabelMatrix.ofRows(4, new byte[] {1, 0, 0, 1}, new byte[] {0, -1, 1, 0}, new byte[] {0, 0, 0, 0});

  @Test
  void readsEntriesPositivesAndFloatRows() {
    assertEquals(3, matrix.rows());
    assertEquals(4, matrix.cols());
    assertEquals(-1, matrix.get(1, 1));
    assertArrayEquals(new int[] {0, 3}, matrix.positives(0));
    assertArrayEquals(new int[] {2}, matrix.positives(1));
    assertArrayEquals(new int[0], matrix.positives(2));
    assertArrayEquals(new float[] {0, -1, 1, 0}, matrix.rowAsFloats(1));
    float[] batch = new float[9];
    matrix.copyRowTo(0, batch, 5);
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 0, 1}, batch);
  }

  @Test
  void selectsRowsInTheOrderGiven() {
    LabelMatrix picked = matrix.selectRows(new int[] {2, 0});

    assertEquals(LabelMatrix.ofRows(4, new byte[] {0, 0, 0, 0}, new byte[] {1, 0, 0, 1}), picked);
    assertNotEquals(matrix, picked);
  }

  @Test
  void isNotChangedThroughTheArrayItWasBuiltFrom() {
    byte[] values = {1, 0};
    LabelMatrix copy = LabelMatrix.of(1, 2, values);
    values[0] = 0;

    assertEquals(1, copy.get(0, 0));
  }

  @Test
  void rejectsEntriesOutsideMinusOneToOne() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LabelMatrix.of(2, 2, new byte[] {0, 1, 2, 0}));
    assertEquals("label entry (1, 0) is 2; labels must be -1, 0 or 1", e.getMessage());
  }

  @Test
  void rejectsEntryCountThatDoesNotMatchShape() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LabelMatrix.of(2, 2, new byte[3]));
    assertEquals("a 2 x 2 label matrix needs 4 entries, got 3", e.getMessage());
  }

  @Test
  void rejectsOutOfRangeAccess() {
    assertThrows(IndexOutOfBoundsException.class, () -> matrix.get(3, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> matrix.get(0, 4));
    assertThrows(IndexOutOfBoundsException.class, () -> matrix.selectRows(new int[] {5}));
  }
}
