package org.aevlp.common.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PseudoLabelQualityTest {

  // 4 pseudo-labels, 2 of them on observed positives; 3 are true (2 observed, 1 not);
  // 4 true labels, 2 observed → correct 1, predicted 2, positives 2 → P = R = 50 %.
  private static final int[][] PSEUDO = {{1, 1, 0}, {0, 1, 1}};
  private static final int[][] OBSERVED = {{1, 0, 0}, {0, 0, 1}};
  private static final int[][] TRUTH = {{1, 1, 0}, {1, 0, 1}};

  @Test
  void observedPositivesAreTakenOutOfEveryCount() {
    PseudoLabelCounts counts = PseudoLabelCounts.count(PSEUDO, OBSERVED, TRUTH);
    assertEquals(new PseudoLabelCounts(1, 2, 2), counts);
    PseudoLabelQuality q = counts.quality();
    assertEquals(50.0, q.precision());
    assertEquals(50.0, q.recall());
    assertEquals(50.0, q.f1());
    assertEquals(25.0, q.referenceHalfF1());
  }

  @Test
  void usualF1IsTwiceTheReferenceValue() {
    PseudoLabelQuality q = new PseudoLabelQuality(40.0, 80.0);
    assertEquals(2.0 * 40.0 * 80.0 / 120.0, q.f1(), 1e-12);
    assertEquals(40.0 * 80.0 / 120.0, q.referenceHalfF1(), 1e-12);
    assertEquals(0.0, new PseudoLabelQuality(0.0, 80.0).f1());
    assertEquals(0.0, new PseudoLabelQuality(40.0, 0.0).referenceHalfF1());
  }

  @Test
  void minusOneIsNeitherAPseudoLabelNorATruePositive() {
    int[][] pseudo = {{-1, 1, -1}};
    int[][] observed = {{1, 0, 0}};
    int[][] truth = {{1, 1, -1}};
    assertEquals(new PseudoLabelCounts(1, 1, 1), PseudoLabelCounts.count(pseudo, observed, truth));
  }

  @Test
  void emptyDenominatorsGiveZero() {
    int[][] none = {{0, 0}};
    PseudoLabelQuality q = PseudoLabelQuality.of(none, new int[][] {{1, 0}}, new int[][] {{1, 0}});
    assertEquals(new PseudoLabelQuality(0.0, 0.0), q);
    assertEquals(0.0, q.f1());
  }

  @Test
  void accumulatorOverBatchesEqualsTheWholeSet() {
    PseudoLabelQualityAccumulator acc = new PseudoLabelQualityAccumulator();
    acc.add(new int[][] {PSEUDO[1]}, new int[][] {OBSERVED[1]}, new int[][] {TRUTH[1]});
    acc.add(
        PseudoLabelCounts.count(
            new int[][] {PSEUDO[0]}, new int[][] {OBSERVED[0]}, new int[][] {TRUTH[0]}));
    assertEquals(PseudoLabelCounts.count(PSEUDO, OBSERVED, TRUTH), acc.counts());
    assertEquals(new PseudoLabelQuality(50.0, 50.0), acc.quality());
  }

  @Test
  void observedMustBeZeroOrOne() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PseudoLabelCounts.count(PSEUDO, new int[][] {{1, 0, 0}, {0, -1, 0}}, TRUTH));
    assertTrue(e.getMessage().contains("observed[1][1] = -1"), e.getMessage());
    IllegalArgumentException shape =
        assertThrows(
            IllegalArgumentException.class,
            () -> PseudoLabelCounts.count(PSEUDO, OBSERVED, new int[][] {{1, 1, 0}}));
    assertTrue(shape.getMessage().contains("truth is 1 x 3"), shape.getMessage());
  }
}
