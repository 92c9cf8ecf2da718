package org.aevlp.coordinator.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStopRuleTest {

  @Test
  void improvingEpochsNeverStop() {
    EarlyStopRule rule = EarlyStopRule.start();
    double[] maps = {40, 50, 55.5, 60};
    for (int e = 0; e < maps.length; e++) {
      rule = rule.observe(e + 1, maps[e]);
      assertTrue(rule.lastImproved());
      assertTrue(rule.stopReason(maps[e]).isEmpty());
    }
    assertEquals(4, rule.bestEpoch());
  }

  @Test
  void aDropOfMoreThanTwoPointsStopsAtOnce() {
    EarlyStopRule rule = EarlyStopRule.start().observe(1, 60).observe(2, 57.9);
    assertTrue(rule.stopReason(57.9).orElseThrow().contains("fell more than 2 points"));
  }

  @Test
  void aDropOfExactlyTwoPointsWaitsForASecondEpoch() {
    EarlyStopRule rule = EarlyStopRule.start().observe(1, 60).observe(2, 58);
    assertTrue(rule.stopReason(58).isEmpty());
    rule = rule.observe(3, 59);
    assertTrue(rule.stopReason(59).orElseThrow().contains("2 epochs without improving"));
    assertEquals(1, rule.bestEpoch());
  }

  @Test
  void anEqualScoreIsNotAnImprovement() {
    EarlyStopRule rule = EarlyStopRule.start().observe(1, 50).observe(2, 50);
    assertFalse(rule.lastImproved());
    assertEquals(1, rule.bestEpoch());
  }
}
