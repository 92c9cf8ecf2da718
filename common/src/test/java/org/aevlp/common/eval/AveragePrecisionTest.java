package org.aevlp.common.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AveragePrecisionTest {

  @Test
  void handWorkedExampleWithoutTies() {
    // thresholds 0.9 (P 1, R 1/2), 0.8 (P 1/2, R 1/2), 0.7 (P 2/3, R 1): AP = 1/2·1 + 1/2·2/3
    double ap =
        AveragePrecision.of(
            new double[] {0.8, 0.9, 0.6, 0.7}, new boolean[] {false, true, false, true});
    assertEquals(0.5 + 0.5 * 2.0 / 3.0, ap, 1e-15);
  }

  @Test
  void equalScoresFormOneThreshold() {
    // 0.9: P 1, R 1/3 | 0.5 (one positive, one negative together): P 2/3, R 2/3 | 0.1: P 3/4, R 1
    // AP = 1/3 + 1/3·2/3 + 1/3·3/4 = 29/36. Taking the tied positive first would give 33/36.
    double ap =
        AveragePrecision.of(
            new double[] {0.5, 0.9, 0.1, 0.5}, new boolean[] {false, true, true, true});
    assertEquals(29.0 / 36.0, ap, 1e-15);
  }

  @Test
  void negativeZeroAndZeroAreOneThreshold() {
    // numpy sees -0.0 == 0.0: one threshold with P 1/2, R 1. Arrays.sort alone would split them.
    assertEquals(0.5, AveragePrecision.of(new double[] {-0.0, 0.0}, new boolean[] {false, true}));
    assertEquals(0.5, AveragePrecision.of(new double[] {0.0, -0.0}, new boolean[] {false, true}));
  }

  @Test
  void classWithoutPositivesScoresZeroAndStillCountsInTheMean() {
    double[][] scores = {{0.9, 0.2}, {0.1, 0.8}, {0.5, 0.5}};
    int[][] targets = {{1, 0}, {-1, -1}, {0, 0}};
    MeanAveragePrecision map = MeanAveragePrecision.of(scores, targets);
    assertEquals(List.of(1.0, 0.0), map.apPerClass());
    assertEquals(50.0, map.mapPercent(), 1e-12);
  }

  @Test
  void minusOneTargetsAreNegatives() {
    double[][] scores = {{0.9}, {0.8}, {0.1}};
    MeanAveragePrecision withMinusOne =
        MeanAveragePrecision.of(scores, new int[][] {{-1}, {1}, {0}});
    MeanAveragePrecision withZero = MeanAveragePrecision.of(scores, new int[][] {{0}, {1}, {0}});
    assertEquals(0.5, withMinusOne.apPerClass().get(0), 1e-15);
    assertEquals(withZero, withMinusOne);
  }

  @Test
  void allScoresTiedGivesThePositiveRate() {
    double ap =
        AveragePrecision.of(
            new double[] {0.3, 0.3, 0.3, 0.3}, new boolean[] {true, false, false, true});
    assertEquals(0.5, ap, 1e-15);
  }

  @Test
  void matchesBruteForceDefinitionOnRandomTiedScores() {
    Random random = new Random(42);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(40);
      double[] scores = new double[n];
      boolean[] positive = new boolean[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextInt(6) / 5.0; // few distinct values: many ties
        positive[i] = random.nextInt(3) == 0;
      }
      assertEquals(bruteForce(scores, positive), AveragePrecision.of(scores, positive), 1e-12);
    }
  }

  /** Σ over distinct thresholds t, high to low, of (R_t − R_prev)·P_t, by direct counting. */
  private static double bruteForce(double[] scores, boolean[] positive) {
    double[] thresholds = java.util.Arrays.stream(scores).distinct().sorted().toArray();
    int totalPositives = 0;
    for (boolean p : positive) {
      totalPositives += p ? 1 : 0;
    }
    if (totalPositives == 0) {
      return 0.0;
    }
    double ap = 0.0;
    double previousRecall = 0.0;
    for (int k = thresholds.length - 1; k >= 0; k--) {
      int tp = 0;
      int predicted = 0;
      for (int i = 0; i < scores.length; i++) {
        if (scores[i] >= thresholds[k]) {
          predicted++;
          tp += positive[i] ? 1 : 0;
        }
      }
      double recall = (double) tp / totalPositives;
      ap += (recall - previousRecall) * tp / predicted;
      previousRecall = recall;
    }
    return ap;
  }

  @Test
  void badInputIsRejectedNamingTheCell() {
    IllegalArgumentException nan =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MeanAveragePrecision.of(new double[][] {{0.1, Double.NaN}}, new int[][] {{1, 0}}));
    assertTrue(nan.getMessage().contains("scores[0][1]"), nan.getMessage());

    IllegalArgumentException two =
        assertThrows(
            IllegalArgumentException.class,
            () -> MeanAveragePrecision.of(new double[][] {{0.1}, {0.2}}, new int[][] {{1}, {2}}));
    assertTrue(two.getMessage().contains("targets[1][0] = 2"), two.getMessage());

    IllegalArgumentException shape =
        assertThrows(
            IllegalArgumentException.class,
            () -> MeanAveragePrecision.of(new double[][] {{0.1, 0.2}}, new int[][] {{1}}));
    assertTrue(shape.getMessage().contains("targets is 1 x 1"), shape.getMessage());

    IllegalArgumentException ragged =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MeanAveragePrecision.of(
                    new double[][] {{0.1, 0.2}, {0.3}}, new int[][] {{1, 0}, {0, 1}}));
    assertTrue(ragged.getMessage().contains("scores[1] has 1 columns"), ragged.getMessage());
  }
}
