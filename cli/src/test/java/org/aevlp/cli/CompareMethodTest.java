package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.worker.loss.EpochSchedule;
import org.aevlp.worker.loss.ScheduleValues;
import org.junit.jupiter.api.Test;

class CompareMethodTest {

  private static ExperimentSpec config(String members) throws SpecException {
    return SpecLoader.builtIn().load("{" + members + "}", "test").spec();
  }

  private static ExperimentSpec synthetic() throws SpecException {
    return config("\"dataset\": \"synthetic\", \"num_epochs\": 8, \"beta\": [0, 2, -2, -2], "
        + "\"alpha\": [0.5, 2, 0.8, 0.5], \"eta\": 0.1");
  }

  @Test
  void baselinesSetLossPseudoLabelsAndLabels() throws SpecException {
    ExperimentSpec config = synthetic();
    ExperimentSpec full = CompareMethod.FULL.apply(config);
    assertEquals(List.of("full_loss", "clean"), List.of(full.getLoss(), full.getTrainSetVariant()));
    assertFalse(full.getUsePl());
    for (var expected : List.of(List.of(CompareMethod.AN, "an_loss", false), List.of(CompareMethod.AN_PL, "an_pl_loss",
        true), List.of(CompareMethod.GPR, "gpr_loss", false), List.of(CompareMethod.AEVLP, "gpr_loss", true))) {
      ExperimentSpec spec = ((CompareMethod) expected.get(0)).apply(config);
      assertEquals(expected.get(1), spec.getLoss(), expected.toString());
      assertEquals(expected.get(2), spec.getUsePl(), expected.toString());
      assertEquals("observed", spec.getTrainSetVariant(), expected.toString());
      assertEquals(expected.get(2), ((CompareMethod) expected.get(0)).usesPseudoLabels());
    }
  }

  @Test
  void ablationsChangeOnePartOfAevlp() throws SpecException {
    ExperimentSpec config = config("\"dataset\": \"pascal\", \"use_refinement\": true, \"eta\": 0.3");
    ExperimentSpec aevlp = CompareMethod.AEVLP.apply(config);
    assertEquals(aevlp.toBuilder().setDampLocalViews(false).build(), CompareMethod.AEVLP_GLOBAL.apply(config));
    assertEquals(aevlp.toBuilder().setEta(0).build(), CompareMethod.AEVLP_NO_ETA.apply(config));
    assertEquals(aevlp.toBuilder().setUseRefinement(false).build(), CompareMethod.AEVLP_NO_GCN.apply(config));
    for (CompareMethod ablation : List.of(CompareMethod.AEVLP_GLOBAL, CompareMethod.AEVLP_NO_ETA,
        CompareMethod.AEVLP_NO_GCN, CompareMethod.AEVLP_FIXED_KV)) {
      assertTrue(ablation.sameAsAevlp(config).isEmpty(), ablation.id());
    }
  }

  @Test
  void fixedKvHoldsTheEpochOneValuesInEveryEpoch() throws SpecException {
    // Epoch 1 of 8, linear_init 0: w = 0 + 2·0/8 = 0, b = -2; mu = 0.5 + 0.3·1/8 = 0.5375, sigma = 2 - 1.5·1/8 = 1.8125.
    ExperimentSpec fixed = CompareMethod.AEVLP_FIXED_KV.apply(synthetic());
    assertEquals(List.of(0.0, 0.0, -2.0, -2.0), fixed.getBetaList());
    assertEquals(List.of(0.5375, 1.8125, 0.5375, 1.8125), fixed.getAlphaList());
    EpochSchedule schedule = EpochSchedule.fromReference(new double[] {0, 0, -2, -2},
        new double[] {0.5375, 1.8125, 0.5375, 1.8125}, new double[] {0.01, 1}, 8, 0);
    for (int epoch = 1; epoch <= 8; epoch++) {
      ScheduleValues values = schedule.at(epoch);
      assertEquals(List.of(0.0, -2.0, 0.5375, 1.8125), List.of(values.w(), values.b(), values.mu(), values.sigma()));
    }
    // With linear_init 2 both schedules are still at their start in epoch 1.
    ExperimentSpec late = CompareMethod.AEVLP_FIXED_KV.apply(config("\"dataset\": \"synthetic\", \"num_epochs\": 8, "
        + "\"linear_init\": 2, \"beta\": [0, 2, -2, -2], \"alpha\": [0.5, 2, 0.8, 0.5]"));
    assertEquals(List.of(0.5, 2.0, 0.5, 2.0), late.getAlphaList());
  }

  @Test
  void ablationsThatRepeatAevlpSayWhy() throws SpecException {
    ExperimentSpec config = config("\"dataset\": \"synthetic\", \"eta\": 0.0, \"beta\": [1, 1, -2, -2], "
        + "\"alpha\": [0.5, 2, 0.5, 2], \"linear_init\": 1");
    assertEquals("aevlp-no-eta would run the same spec as aevlp: the config's eta is already 0 (gamma is 1 for every "
        + "class)", CompareMethod.AEVLP_NO_ETA.sameAsAevlp(config).orElseThrow());
    assertTrue(CompareMethod.AEVLP_NO_GCN.sameAsAevlp(config).orElseThrow().contains("use_refinement false"));
    assertTrue(CompareMethod.AEVLP_FIXED_KV.sameAsAevlp(config).orElseThrow().contains("already constant"));
    assertTrue(CompareMethod.AEVLP_GLOBAL.sameAsAevlp(config).isEmpty());
    assertTrue(CompareMethod.AN.sameAsAevlp(config).isEmpty());
  }

  @Test
  void methodListsKeepTheirOrderAndExpandAblations() {
    assertEquals(List.of(CompareMethod.AEVLP, CompareMethod.AN), CompareMethod.parse("aevlp, AN,aevlp"));
    assertEquals(List.of(CompareMethod.FULL, CompareMethod.AEVLP_GLOBAL, CompareMethod.AEVLP_NO_ETA,
        CompareMethod.AEVLP_NO_GCN, CompareMethod.AEVLP_FIXED_KV), CompareMethod.parse("full,ablations"));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> CompareMethod.parse("x"));
    assertTrue(unknown.getMessage().startsWith("unknown method \"x\"; known: full, an, an_pl"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CompareMethod.parse(" , "));
  }
}
