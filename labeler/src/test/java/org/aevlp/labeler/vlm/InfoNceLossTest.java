package org.aevlp.labeler.vlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class InfoNceLossTest {

  private static final float[][] SIMILARITY = {
    {0.9f, 0.1f, -0.2f},
    {0.3f, 0.8f, 0.0f},
    {-0.1f, 0.4f, 0.7f},
  };

  @Test
  void matchesAHandComputationOnA3x3Matrix() {
    // scale s = 2. Rows (image → caption): -log softmax_j(2S)[i,i] = 0.272086, 0.450933, 0.560020;
    // columns (caption → image): 0.362230, 0.528229, 0.344933. L = ½(mean rows + mean columns).
    double expected = 0.5 * ((0.272086 + 0.450933 + 0.560020) / 3 + (0.362230 + 0.528229 + 0.344933) / 3);
    assertEquals(0.419739, expected, 1e-6);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray similarity = manager.create(flat(SIMILARITY), new Shape(3, 3));
      NDArray loss = InfoNceLoss.evaluate(similarity, manager.create((float) Math.log(2)));
      assertEquals(expected, loss.getFloat(), 1e-5);
    }
  }

  @Test
  void agreesWithTheDefinitionLoopByLoop() {
    double scale = 14.3;
    double rows = 0;
    double columns = 0;
    for (int i = 0; i < 3; i++) {
      double rowSum = 0;
      double columnSum = 0;
      for (int j = 0; j < 3; j++) {
        rowSum += Math.exp(scale * SIMILARITY[i][j]);
        columnSum += Math.exp(scale * SIMILARITY[j][i]);
      }
      rows -= Math.log(Math.exp(scale * SIMILARITY[i][i]) / rowSum);
      columns -= Math.log(Math.exp(scale * SIMILARITY[i][i]) / columnSum);
    }
    double expected = 0.5 * (rows / 3 + columns / 3);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray similarity = manager.create(flat(SIMILARITY), new Shape(3, 3));
      NDArray loss = InfoNceLoss.evaluate(similarity, manager.create((float) Math.log(scale)));
      assertEquals(expected, loss.getFloat(), 1e-4);
    }
  }

  @Test
  void sharperScaleLowersTheLossOfADiagonalBatchThroughTheGradient() {
    try (NDManager manager = NDManager.newBaseManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray similarity = manager.create(flat(SIMILARITY), new Shape(3, 3));
      NDArray logScale = manager.create((float) Math.log(2));
      logScale.setRequiresGradient(true);
      collector.backward(InfoNceLoss.evaluate(similarity, logScale));
      try (NDArray gradient = logScale.getGradient()) {
        assertTrue(gradient.getFloat() < 0, "dL/dlog_scale = " + gradient.getFloat());
      }
    }
  }

  @Test
  void rejectsANonSquareMatrix() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray similarity = manager.zeros(new Shape(2, 3));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> InfoNceLoss.evaluate(similarity, manager.create(0f)));
      assertTrue(e.getMessage().startsWith("similarity"), e.getMessage());
    }
  }

  private static float[] flat(float[][] rows) {
    float[] out = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
    }
    return out;
  }
}
