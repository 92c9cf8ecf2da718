package org.aevlp.worker.loss;

import static org.aevlp.worker.loss.Closeness.assertRelative;
import static org.aevlp.worker.loss.GoldenCases.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link GprLoss} beyond the golden cases: inputs, configuration, numerics, resources. */
class GprLossTest {

  @Test
  void regularizerDividesByConfiguredClassCountNotLogitColumns() {
    JsonNode c = goldenCase("pascal_e4_b4_c20");
    GprParams golden = GoldenCases.gprParams(c.get("params"));
    GprParams doubledClasses =
        new GprParams(
            golden.usePl(),
            golden.schedule(),
            golden.lam1(),
            golden.lam2(),
            golden.rho(),
            golden.reg(),
            golden.expectedNumPos(),
            2 * golden.numClasses());
    GprLoss loss = GprLoss.forEpoch(doubledClasses, c.get("epoch").intValue());
    LossProbe.Result result =
        LossProbe.run(
            DataType.FLOAT64,
            matrix(c.get("logits")),
            (manager, logits) ->
                loss.evaluate(GoldenCases.labels(manager, c, DataType.FLOAT64), new NDList(logits)));
    // Same logits, four times the denominator: the regulariser shrinks to a quarter (QUIRKS Q8).
    double regTerm = golden.reg() * c.get("derived").get("reg_term").doubleValue();
    assertRelative(c.get("loss").doubleValue() - 0.75 * regTerm, result.loss(), 1e-9, "loss");
  }

  @Test
  void float32InputsGiveAFloat32LossWithTheRegularizerOn() {
    JsonNode c = goldenCase("pascal_e4_b4_c20");
    GprLoss loss = GprLoss.forEpoch(GoldenCases.gprParams(c.get("params")), c.get("epoch").intValue());
    assertTrue(loss.params().reg() > 0, "the case must exercise the regulariser");
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray logits = manager.create(matrix(c.get("logits"))).toType(DataType.FLOAT32, false);
      NDArray value = loss.evaluate(GoldenCases.labels(manager, c, DataType.FLOAT32), new NDList(logits));
      assertEquals(DataType.FLOAT32, value.getDataType());
    }
  }

  @Test
  void withoutUsePlTheObservedLabelsAloneGiveTheReferenceLoss() {
    JsonNode c = goldenCase("nopl_zero_pseudo_cub_e5_b8_c16");
    GprLoss loss = GprLoss.forEpoch(GoldenCases.gprParams(c.get("params")), c.get("epoch").intValue());
    LossProbe.Result result =
        LossProbe.run(
            DataType.FLOAT64,
            matrix(c.get("logits")),
            (manager, logits) ->
                loss.evaluate(new NDList(manager.create(matrix(c.get("label_vec")))), new NDList(logits)));
    assertRelative(c.get("loss").doubleValue(), result.loss(), 1e-9, "loss");
    Closeness.assertRelativeToMax(matrix(c.get("grad_logits")), result.gradient(), 1e-9, "grad_logits");
  }

  @Test
  void pseudoLabelsAreRequiredWhenUsePlIsOn() {
    GprLoss loss = GprLoss.forEpoch(params(true, 3), 1);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray logits = manager.create(new double[][] {{0.1, 0.2, 0.3}});
      NDList observedOnly = new NDList(manager.create(new double[][] {{1, 0, 0}}));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> loss.evaluate(observedOnly, new NDList(logits)));
      assertTrue(e.getMessage().contains("use_pl"), e.getMessage());
    }
  }

  @Test
  void labelsOfAnotherShapeThanTheLogitsAreRejected() {
    GprLoss loss = GprLoss.forEpoch(params(true, 3), 1);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray logits = manager.create(new double[][] {{0.1, 0.2, 0.3}});
      NDList labels =
          new NDList(manager.create(new double[][] {{1, 0, 0}}), manager.create(new int[][] {{0, 1}}));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> loss.evaluate(labels, new NDList(logits)));
      assertTrue(e.getMessage().contains("labels[1]"), e.getMessage());
    }
  }

  @Test
  void saturatedLogitWhereAPowerTermDoesNotApplyKeepsTheGradientFinite() {
    // In float32 sigmoid(-120) is exactly 0, where p^q2 (q2 = 0.01) has an infinite slope; the
    // entry is an observed positive, so that term must not reach its gradient (the reference's
    // gradient there is -p(1-p)/(p + eps) = 0).
    GprLoss loss = GprLoss.forEpoch(params(true, 4), 3);
    LossProbe.Result result =
        LossProbe.run(
            DataType.FLOAT32,
            new double[][] {{-120, 0.5, -0.5, 1.0}},
            (manager, logits) ->
                loss.evaluate(
                    new NDList(
                        manager.create(new float[][] {{1, 0, 0, 0}}),
                        manager.create(new int[][] {{0, 0, 1, -1}})),
                    new NDList(logits)));
    assertTrue(Double.isFinite(result.loss()), "loss " + result.loss());
    for (double g : result.gradient()[0]) {
      assertTrue(Double.isFinite(g), "gradient entry " + g);
    }
    assertEquals(0.0, result.gradient()[0][0], 1e-12);
  }

  @Test
  void aSaturatedUnknownLogitHasTheAnalyticGradientNotANan() {
    // The unknown-label term keeps pushing such logits down with a nearly constant force, so
    // training reaches logits where float32 sigmoid is exactly 0. There the term's gradient is
    // -V·K·p^q2·(1-p) = -V·K·exp(q2·z) (the (1-p)^q3 branch and the regulariser vanish with p),
    // over the 4 entries of the mean. Epoch 3 of 8: w = 0.5, b = -2, mu = 0.6125, sigma = 1.4375.
    GprLoss loss = GprLoss.forEpoch(params(true, 4), 3);
    double k = 1 / (1 + Math.exp(2));
    double v = Math.exp(-0.5 * Math.pow(0.6125 / 1.4375, 2));
    for (double z : new double[] {-120, -300}) {
      LossProbe.Result result =
          LossProbe.run(
              DataType.FLOAT32,
              new double[][] {{z, 0.5, -0.5, 1.0}},
              (manager, logits) ->
                  loss.evaluate(
                      new NDList(
                          manager.create(new float[][] {{0, 1, 0, 0}}),
                          manager.create(new int[][] {{0, 0, 1, -1}})),
                      new NDList(logits)));
      assertTrue(Double.isFinite(result.loss()), "loss " + result.loss());
      double expected = -v * k * Math.exp(0.01 * z) / 4;
      assertEquals(expected, result.gradient()[0][0], 1e-6 * Math.abs(expected) + 1e-9, "gradient at z = " + z);
    }
  }

  @Test
  void lossLeavesEveryArrayInTheInputsManager() {
    GprLoss loss = GprLoss.forEpoch(params(true, 3), 2);
    try (NDManager trainer = NDManager.newBaseManager()) {
      NDManager step = trainer.newSubManager();
      NDArray logits = step.create(new double[][] {{0.3, -1.2, 2.0}, {-0.4, 0.9, 0.1}});
      logits.setRequiresGradient(true);
      NDList labels =
          new NDList(
              step.create(new double[][] {{1, 0, 0}, {0, 0, 1}}),
              step.create(new int[][] {{0, 1, -1}, {1, 0, 0}}));
      NDArray value;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        value = loss.evaluate(labels, new NDList(logits));
        collector.backward(value);
      }
      assertSame(step, value.getManager());
      assertEquals(
          step.getManagedArrays().size(),
          trainer.getManagedArrays().size(),
          "arrays held by the trainer's manager outside the step's");
      step.close();
      assertTrue(value.isReleased(), "the loss value is released with the step manager");
      assertEquals(0, trainer.getManagedArrays().size(), "arrays left after the step manager closed");
    }
  }

  @Test
  void forEpochTakesThatEpochsScheduleValues() {
    GprParams params = params(true, 3);
    assertEquals(params.schedule().at(5), GprLoss.forEpoch(params, 5).values());
    assertThrows(IllegalArgumentException.class, () -> GprLoss.forEpoch(params, 0));
    assertThrows(IllegalArgumentException.class, () -> GprLoss.forEpoch(params, 9));
  }

  @Test
  void invalidParametersNameTheirField() {
    EpochSchedule schedule = params(true, 3).schedule();
    IllegalArgumentException reg =
        assertThrows(
            IllegalArgumentException.class, () -> new GprParams(true, schedule, 0.7, 0.4, 0.9, -1, 1.5, 3));
    assertTrue(reg.getMessage().contains("reg"), reg.getMessage());
    IllegalArgumentException classes =
        assertThrows(
            IllegalArgumentException.class, () -> new GprParams(true, schedule, 0.7, 0.4, 0.9, 0.05, 1.5, 0));
    assertTrue(classes.getMessage().contains("num_classes"), classes.getMessage());
  }

  /** The pascal reference configuration with {@code numClasses} classes and 8 epochs. */
  static GprParams params(boolean usePl, int numClasses) {
    EpochSchedule schedule =
        EpochSchedule.fromReference(
            new double[] {0, 2, -2, -2}, new double[] {0.5, 2, 0.8, 0.5}, new double[] {0.01, 1}, 8, 0);
    return new GprParams(usePl, schedule, 0.7, 0.4, 0.9, 0.05, 1.5, numClasses);
  }

  private static JsonNode goldenCase(String name) {
    return StreamSupport.stream(GoldenCases.load("gpr_loss.json").get("cases").spliterator(), false)
        .filter(c -> c.get("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no golden case " + name));
  }
}
