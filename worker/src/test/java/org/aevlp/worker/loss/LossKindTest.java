package org.aevlp.worker.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;

class LossKindTest {

  private final GprParams withPl = GprLossTest.params(true, 5);
  private final GprParams withoutPl = GprLossTest.params(false, 5);

  @Test
  void specNamesMakeTheirLosses() {
    assertInstanceOf(GprLoss.class, LossKind.create("gpr_loss", withPl, 1));
    assertInstanceOf(AnLoss.class, LossKind.create("an_loss", withPl, 1));
    assertInstanceOf(AnPlLoss.class, LossKind.create("an_pl_loss", withPl, 1));
    assertInstanceOf(FullLabelLoss.class, LossKind.create("full_loss", withPl, 1));
    for (LossKind kind : LossKind.values()) {
      Loss loss = kind.forEpoch(withPl, 2);
      assertEquals(kind.specName(), loss.getName(), "DJL name of " + kind);
    }
  }

  @Test
  void gprLossTakesTheEpochsScheduleValues() {
    GprLoss loss = (GprLoss) LossKind.create("gpr_loss", withPl, 6);
    assertEquals(withPl.schedule().at(6), loss.values());
    assertEquals(withPl, loss.params());
  }

  @Test
  void unknownNameListsTheAcceptedOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LossKind.fromSpecName("gr_loss"));
    assertTrue(e.getMessage().startsWith("loss: unknown name 'gr_loss'"), e.getMessage());
    assertTrue(e.getMessage().contains("gpr_loss, an_loss, an_pl_loss, full_loss"), e.getMessage());
  }

  @Test
  void onlyGprAndAnPlWithUsePlReadPseudoLabels() {
    assertTrue(LossKind.GPR.readsPseudoLabels(withPl));
    assertTrue(LossKind.AN_PL.readsPseudoLabels(withPl));
    assertFalse(LossKind.GPR.readsPseudoLabels(withoutPl));
    assertFalse(LossKind.AN_PL.readsPseudoLabels(withoutPl));
    assertFalse(LossKind.AN.readsPseudoLabels(withPl));
    assertFalse(LossKind.FULL.readsPseudoLabels(withPl));
  }

  @Test
  void onlyFullLossReadsCleanLabels() {
    for (LossKind kind : LossKind.values()) {
      assertEquals(kind == LossKind.FULL, kind.readsCleanLabels(), kind.toString());
    }
  }
}
