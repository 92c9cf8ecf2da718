package org.aevlp.worker.loss;

import static org.aevlp.worker.loss.Closeness.assertRelative;
import static org.aevlp.worker.loss.GoldenCases.matrix;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Behaviour of the baseline losses beyond the golden cases. */
class AssumeNegativeLossTest {

  @ParameterizedTest
  @MethodSource("org.aevlp.worker.loss.AssumeNegativeLossGoldenTest#anCases")
  void anPlLossWithoutPseudoLabelsIsAnLoss(JsonNode c) {
    LossProbe.Result result =
        LossProbe.run(
            DataType.FLOAT64,
            matrix(c.get("logits")),
            (manager, logits) ->
                new AnPlLoss()
                    .evaluate(new NDList(manager.create(matrix(c.get("label_vec")))), new NDList(logits)));
    assertRelative(c.get("loss").doubleValue(), result.loss(), 1e-9, "loss");
    Closeness.assertRelativeToMax(matrix(c.get("grad_logits")), result.gradient(), 1e-9, "grad_logits");
  }

  @Test
  void fullLabelLossCountsEveryCleanPositive() {
    double[][] logits = {{0.0, Math.log(3), -Math.log(3)}, {2.0, -1.0, 0.5}};
    double[][] clean = {{1, 1, 0}, {1, 0, 1}};
    LossProbe.Result result =
        LossProbe.run(
            DataType.FLOAT64,
            logits,
            (manager, z) -> new FullLabelLoss().evaluate(new NDList(manager.create(clean)), new NDList(z)));

    // Hand formula: mean of -log(p + 1e-7) at positives and -log(1 - p + 1e-7) at negatives; its
    // derivative w.r.t. z is -p(1-p)/(p + eps) or +p(1-p)/(1 - p + eps), over B·C = 6 entries.
    double eps = 1e-7;
    double sum = 0;
    double[][] gradient = new double[2][3];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        double p = 1 / (1 + Math.exp(-logits[i][j]));
        boolean positive = clean[i][j] == 1;
        sum += positive ? -Math.log(p + eps) : -Math.log(1 - p + eps);
        gradient[i][j] = (positive ? -p * (1 - p) / (p + eps) : p * (1 - p) / (1 - p + eps)) / 6;
      }
    }
    assertRelative(sum / 6, result.loss(), 1e-12, "loss");
    Closeness.assertRelativeToMax(gradient, result.gradient(), 1e-12, "gradient");
  }
}
