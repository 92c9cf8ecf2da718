package org.aevlp.worker.loss;

import static org.aevlp.worker.loss.Closeness.assertRelative;
import static org.aevlp.worker.loss.Closeness.assertRelativeToMax;
import static org.aevlp.worker.loss.GoldenCases.matrix;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link AnLoss} and {@link AnPlLoss} against every case of golden/an_loss.json and
 * golden/an_pl_loss.json, and {@link FullLabelLoss} against the AN cases (with a single positive
 * per row as the "clean" labels the two formulas coincide).
 */
class AssumeNegativeLossGoldenTest {

  private static final double F64_RTOL = 1e-9;
  private static final double F32_RTOL = 1e-5;

  static Stream<Named<JsonNode>> anCases() {
    return GoldenCases.named("an_loss.json");
  }

  static Stream<Named<JsonNode>> anPlCases() {
    return GoldenCases.named("an_pl_loss.json");
  }

  static Stream<Named<JsonNode>> anCasesWithoutExtremeLogits() {
    return anCases().filter(c -> !GoldenCases.isExtreme(c.getPayload()));
  }

  static Stream<Named<JsonNode>> anPlCasesWithoutExtremeLogits() {
    return anPlCases().filter(c -> !GoldenCases.isExtreme(c.getPayload()));
  }

  static Stream<Named<JsonNode>> anCasesWithExtremeLogits() {
    return anCases().filter(c -> GoldenCases.isExtreme(c.getPayload()));
  }

  static Stream<Named<JsonNode>> anPlCasesWithExtremeLogits() {
    return anPlCases().filter(c -> GoldenCases.isExtreme(c.getPayload()));
  }

  @ParameterizedTest
  @MethodSource("anCases")
  void anLossMatchesReferenceInFloat64(JsonNode c) {
    assertMatchesFloat64(new AnLoss(), c);
  }

  @ParameterizedTest
  @MethodSource("anPlCases")
  void anPlLossMatchesReferenceInFloat64(JsonNode c) {
    assertMatchesFloat64(new AnPlLoss(), c);
  }

  @ParameterizedTest
  @MethodSource("anCases")
  void fullLabelLossOnSinglePositiveLabelsEqualsAnLossReference(JsonNode c) {
    LossProbe.Result result =
        LossProbe.run(
            DataType.FLOAT64,
            matrix(c.get("logits")),
            (manager, logits) ->
                new FullLabelLoss()
                    .evaluate(new NDList(manager.create(matrix(c.get("label_vec")))), new NDList(logits)));
    assertRelative(c.get("loss").doubleValue(), result.loss(), F64_RTOL, "loss");
    assertRelativeToMax(matrix(c.get("grad_logits")), result.gradient(), F64_RTOL, "grad_logits");
  }

  @ParameterizedTest
  @MethodSource("anCasesWithoutExtremeLogits")
  void anLossInFloat32StaysWithinMeasuredTolerance(JsonNode c) {
    assertFloat32Within(new AnLoss(), c, c.get("loss").doubleValue(), matrix(c.get("grad_logits")));
  }

  @ParameterizedTest
  @MethodSource("anPlCasesWithoutExtremeLogits")
  void anPlLossInFloat32StaysWithinMeasuredTolerance(JsonNode c) {
    assertFloat32Within(new AnPlLoss(), c, c.get("loss").doubleValue(), matrix(c.get("grad_logits")));
  }

  @ParameterizedTest
  @MethodSource("anCasesWithExtremeLogits")
  void anLossInFloat32MatchesReferenceFloat32RunOnExtremeLogits(JsonNode c) {
    JsonNode f32 = c.get("f32_check");
    assertFloat32Within(
        new AnLoss(), c, f32.get("loss_f32").doubleValue(), matrix(f32.get("grad_logits_f32")));
  }

  @ParameterizedTest
  @MethodSource("anPlCasesWithExtremeLogits")
  void anPlLossInFloat32MatchesReferenceFloat32RunOnExtremeLogits(JsonNode c) {
    JsonNode f32 = c.get("f32_check");
    assertFloat32Within(
        new AnPlLoss(), c, f32.get("loss_f32").doubleValue(), matrix(f32.get("grad_logits_f32")));
  }

  private static void assertMatchesFloat64(Loss loss, JsonNode c) {
    LossProbe.Result result = run(loss, c, DataType.FLOAT64);
    assertRelative(c.get("loss").doubleValue(), result.loss(), F64_RTOL, "loss");
    assertRelativeToMax(matrix(c.get("grad_logits")), result.gradient(), F64_RTOL, "grad_logits");
  }

  private static void assertFloat32Within(
      Loss loss, JsonNode c, double expectedLoss, double[][] expectedGradient) {
    LossProbe.Result result = run(loss, c, DataType.FLOAT32);
    assertRelative(expectedLoss, result.loss(), F32_RTOL, "loss");
    assertRelativeToMax(expectedGradient, result.gradient(), F32_RTOL, "grad_logits");
  }

  private static LossProbe.Result run(Loss loss, JsonNode c, DataType type) {
    return LossProbe.run(
        type,
        matrix(c.get("logits")),
        (manager, logits) -> loss.evaluate(GoldenCases.labels(manager, c, type), new NDList(logits)));
  }
}
