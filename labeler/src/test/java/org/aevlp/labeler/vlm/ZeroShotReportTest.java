package org.aevlp.labeler.vlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aevlp.labeler.damp.DampParams;
import org.junit.jupiter.api.Test;

class ZeroShotReportTest {

  private static final double[] NONE = {0, 0, 0, 0};

  // Three images, four classes, grid 2 (views: global, then four tiles), cosine 0.3 marks a class.
  // A: truth {0, 1}, observed 0; tiles show 0 and 1  -> DAMP finds 1 (correct)
  // B: truth {2},    observed 2; tiles show 2 and 3  -> DAMP adds 3 (wrong)
  // C: truth {1, 3}, observed 1; nothing shows 3     -> DAMP misses 3
  private static final double[][] GLOBAL = {
    {0.3, 0.3, 0, 0},
    {0, 0, 0.3, 0.3},
    {0, 0.3, 0, 0},
  };
  private static final double[][][] VIEWS = {
    {GLOBAL[0], {0.3, 0, 0, 0}, {0, 0.3, 0, 0}, NONE, NONE},
    {GLOBAL[1], {0, 0, 0, 0.3}, {0, 0, 0.3, 0}, NONE, NONE},
    {GLOBAL[2], {0, 0.3, 0, 0}, {0, 0.3, 0, 0}, {0, 0.3, 0, 0}, {0, 0.3, 0, 0}},
  };
  private static final int[][] OBSERVED = {{1, 0, 0, 0}, {0, 0, 1, 0}, {0, 1, 0, 0}};
  private static final int[][] TRUTH = {{1, 1, 0, 0}, {0, 0, 1, 0}, {0, 1, 0, 1}};

  @Test
  void dampFiguresCountPseudoPositivesBeyondTheObservedOne() {
    DampParams damp = ZeroShotReport.referenceDamp(4, 2);
    ZeroShotReport report = ZeroShotReport.fromCosines(GLOBAL, VIEWS, OBSERVED, TRUTH, damp, 0.01, 0);
    // s_final = ½(s_global + max over tiles): 0.75 for the marked classes of A and B, < 0.5 otherwise
    assertEquals(1, report.dampCounts().correct());
    assertEquals(2, report.dampCounts().predicted());
    assertEquals(2, report.dampCounts().positives());
    assertEquals(50.0, report.dampQuality().precision(), 1e-12);
    assertEquals(50.0, report.dampQuality().recall(), 1e-12);
    assertEquals(50.0, report.dampQuality().f1(), 1e-12);
    assertEquals(2.0 / 3, report.extraPositivesPerImage(), 1e-12);
    assertEquals(1.0 / 3, report.correctExtraPositivesPerImage(), 1e-12);
    assertEquals(1.0 / 3, report.missingPositivesPerImage(), 1e-12);
  }

  @Test
  void softmaxAndRawCosineRankImagesDifferently() {
    ZeroShotReport report =
        ZeroShotReport.fromCosines(GLOBAL, VIEWS, OBSERVED, TRUTH, ZeroShotReport.referenceDamp(4, 2), 0.01, 0);
    // class 3 (truth: C only): B ranks first either way. Softmax puts C (exp(-30)/1) above
    // A (exp(-30)/2): AP 1/2; raw cosines tie A and C at 0: AP 1/3. Classes 0-2 have AP 1.
    assertEquals(100 * (3 + 0.5) / 4, report.mapSoftmax(), 1e-9);
    assertEquals(100 * (3 + 1.0 / 3) / 4, report.mapRawCosine(), 1e-9);
    assertEquals(3, report.images());
    assertEquals(4, report.classes());
    String text = report.format();
    assertTrue(text.contains("87.5") && text.contains("83.3") && text.contains("precision 50.0"), text);
    assertEquals(87.5, report.toJson().path("map_softmax").asDouble(), 1e-9);
    assertEquals(2, report.toJson().path("damp").path("predicted").asLong());
  }

  @Test
  void mismatchedImageCountsAreRejected() {
    DampParams damp = ZeroShotReport.referenceDamp(4, 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ZeroShotReport.fromCosines(GLOBAL, VIEWS, OBSERVED, new int[2][4], damp, 0.01, 0));
    assertTrue(e.getMessage().contains("truth"), e.getMessage());
  }

  @Test
  void referenceParametersAreTheVocConfigs() {
    DampParams damp = ZeroShotReport.referenceDamp(10, 2);
    assertEquals(new DampParams(0.01, 0.0, 0.5, 2, 3, 0.2, 10, false), damp);
  }
}
