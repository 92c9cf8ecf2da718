package org.aevlp.worker.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;

/** Runs a loss forward and backward on fresh logits and reads the loss and d loss / d logits. */
final class LossProbe {

  /** A loss evaluation given the probe's manager and its logits (which require a gradient). */
  interface LossCall {
    NDArray evaluate(NDManager manager, NDArray logits);
  }

  /** The scalar loss and its gradient w.r.t. the logits, as doubles. */
  record Result(double loss, double[][] gradient) {}

  private LossProbe() {}

  static Result run(DataType type, double[][] logitValues, LossCall call) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray logits = manager.create(logitValues).toType(type, false);
      logits.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = call.evaluate(manager, logits);
        assertTrue(loss.getShape().isScalar(), "loss must be a scalar, got " + loss.getShape());
        collector.backward(loss);
        double value = loss.toType(DataType.FLOAT64, false).getDouble();
        try (NDArray gradient = logits.getGradient()) {
          return new Result(value, toMatrix(gradient));
        }
      }
    }
  }

  /** A 2-D array's values as {@code double[rows][cols]}. */
  static double[][] toMatrix(NDArray array) {
    double[] flat = array.toType(DataType.FLOAT64, false).toDoubleArray();
    int rows = (int) array.getShape().get(0);
    int cols = (int) array.getShape().get(1);
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * cols, m[i], 0, cols);
    }
    return m;
  }
}
