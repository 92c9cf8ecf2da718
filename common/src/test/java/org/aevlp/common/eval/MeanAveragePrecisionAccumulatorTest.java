package org.aevlp.common.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MeanAveragePrecisionAccumulatorTest {

  private static final double[][] SCORES = {{0.9, 0.1}, {0.8, 0.7}, {0.2, 0.6}, {0.4, 0.3}};
  private static final int[][] TARGETS = {{1, 0}, {0, 1}, {1, -1}, {0, 1}};

  @Test
  void shardsInAnyOrderGiveTheWholeSetResult() {
    MeanAveragePrecisionAccumulator acc = new MeanAveragePrecisionAccumulator(4, 2);
    acc.add(
        new int[] {3, 1},
        new double[][] {SCORES[3], SCORES[1]},
        new int[][] {TARGETS[3], TARGETS[1]});
    acc.add(new int[0], new double[0][], new int[0][]);
    acc.add(new int[] {2}, new double[][] {SCORES[2]}, new byte[][] {{1, -1}});
    assertEquals(3, acc.added());
    assertFalse(acc.isComplete());
    acc.add(new int[] {0}, new double[][] {SCORES[0]}, new int[][] {TARGETS[0]});
    assertTrue(acc.isComplete());
    // class 0: 0.9+ 0.8- 0.4- 0.2+ → 1/2·1 + 1/2·2/4; class 1: 0.7+ 0.6- 0.3+ 0.1- → 1/2 + 1/2·2/3
    MeanAveragePrecision expected = MeanAveragePrecision.of(SCORES, TARGETS);
    assertEquals(0.75, expected.apPerClass().get(0), 1e-15);
    assertEquals(0.5 + 1.0 / 3.0, expected.apPerClass().get(1), 1e-15);
    assertEquals(expected, acc.result());
  }

  @Test
  void duplicateSampleIsRejectedAndLeavesTheAccumulatorUnchanged() {
    MeanAveragePrecisionAccumulator acc = new MeanAveragePrecisionAccumulator(4, 2);
    acc.add(new int[] {0}, new double[][] {SCORES[0]}, new int[][] {TARGETS[0]});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                acc.add(
                    new int[] {1, 0},
                    new double[][] {SCORES[1], SCORES[0]},
                    new int[][] {TARGETS[1], TARGETS[0]}));
    assertTrue(e.getMessage().contains("sampleIndices[1] = 0"), e.getMessage());
    assertEquals(1, acc.added());
    assertFalse(acc.contains(1));
  }

  @Test
  void resultWithMissingSamplesNamesTheFirstOne() {
    MeanAveragePrecisionAccumulator acc = new MeanAveragePrecisionAccumulator(4, 2);
    acc.add(
        new int[] {0, 2},
        new double[][] {SCORES[0], SCORES[2]},
        new int[][] {TARGETS[0], TARGETS[2]});
    IllegalStateException e = assertThrows(IllegalStateException.class, acc::result);
    assertTrue(e.getMessage().contains("2 of 4"), e.getMessage());
    assertTrue(e.getMessage().contains("first missing: 1"), e.getMessage());
  }

  @Test
  void outOfRangeIndexAndWrongWidthAreRejected() {
    MeanAveragePrecisionAccumulator acc = new MeanAveragePrecisionAccumulator(4, 2);
    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class,
            () -> acc.add(new int[] {4}, new double[][] {SCORES[0]}, new int[][] {TARGETS[0]}));
    assertTrue(range.getMessage().contains("must be in [0, 4)"), range.getMessage());
    IllegalArgumentException width =
        assertThrows(
            IllegalArgumentException.class,
            () -> acc.add(new int[] {0}, new double[][] {{0.5}}, new int[][] {{1}}));
    assertTrue(width.getMessage().contains("expects 2"), width.getMessage());
    assertEquals(0, acc.added());
  }
}
