package org.aevlp.worker.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aevlp.proto.v1.DampParams;
import org.aevlp.proto.v1.ExperimentSpec;
import org.junit.jupiter.api.Test;

/** The DAMP part of a spec reaches the labeler request field for field. */
class ExperimentSessionDampParamsTest {

  private static ExperimentSpec.Builder spec() {
    return ExperimentSpec.newBuilder().setTemp(0.02).setEta(0.25).setThreshold(0.4).setGridSize(3)
        .setNegativeRatio(0.15).setTopK(2).setNegativePseudoLabels(true);
  }

  @Test
  void everyDampFieldOfTheSpecIsSent() {
    DampParams params = ExperimentSession.dampParams(spec().setUseRefinement(true).setDampLocalViews(false).build());
    assertEquals(0.02, params.getTemp());
    assertEquals(0.25, params.getEta());
    assertEquals(0.4, params.getThreshold());
    assertEquals(3, params.getGridSize());
    assertEquals(0.15, params.getNegativeRatio());
    assertEquals(2, params.getTopK());
    assertTrue(params.getNegativePseudoLabels());
    assertTrue(params.hasUseRefinement() && params.getUseRefinement());
    assertTrue(params.hasLocalViews());
    assertFalse(params.getLocalViews());
  }

  @Test
  void theMethodsDefaultsAreSentExplicitly() {
    DampParams params = ExperimentSession.dampParams(spec().setUseRefinement(false).setDampLocalViews(true).build());
    assertTrue(params.hasUseRefinement());
    assertFalse(params.getUseRefinement());
    assertTrue(params.hasLocalViews());
    assertTrue(params.getLocalViews());
  }
}
