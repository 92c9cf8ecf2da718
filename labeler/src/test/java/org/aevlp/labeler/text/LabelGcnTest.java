package org.aevlp.labeler.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelGcnTest {

  private static final double[][] RELATION = {
      {1.0, 0.8, 0.3},
      {0.8, 1.0, 0.5},
      {0.3, 0.5, 1.0}};

  @Test
  void handComputedTwoClassExamplePinsLayerOrderAndActivations() {
    // reweight_p 0.25 on two classes: A = [[0.75, 0.25], [0.25, 0.75]].
    RelationAdjacency adjacency =
        RelationAdjacency.fromRelation(new double[][] {{1.0, 0.5}, {0.5, 1.0}}, 2, 0.25);
    double[][] w1 = {{1, -1, 2}, {0, 1, -2}};
    double[][] w2 = {{1, 0, -1}, {0, 2, 0}, {1, 0, 0}};
    double[][] w3 = {{0, -1}, {1, 0}, {2, 2}};
    double[][] t = {{1, 0}, {0, 1}};
    // A·(T·W1) = [[0.75, -0.5, 1], [0.25, 0.5, -1]]       -> LeakyReLU [[0.75, -0.1, 1], [0.25, 0.5, -0.2]]
    // A·(H1·W2) = [[1.325, 0.1, -0.625], [0.475, 0.7, -0.375]] -> LeakyReLU [.., -0.125], [.., -0.075]
    // A·(H2·W3) = [[0.025, -1.3375], [0.375, -0.8625]]    (no activation: negatives stay)
    // T + G = [[1.025, -1.3375], [0.375, 0.1375]], then each row divided by its norm.
    double norm0 = Math.sqrt(1.025 * 1.025 + 1.3375 * 1.3375);
    double norm1 = Math.sqrt(0.375 * 0.375 + 0.1375 * 0.1375);

    double[][] refined = new LabelGcn(adjacency, w1, w2, w3).refine(t);

    assertArrayEquals(new double[] {1.025 / norm0, -1.3375 / norm0}, refined[0], 1e-15);
    assertArrayEquals(new double[] {0.375 / norm1, 0.1375 / norm1}, refined[1], 1e-15);
  }

  @Test
  void zeroWeightsLeaveUnitEmbeddingsUnchanged() {
    RelationAdjacency adjacency = RelationAdjacency.fromRelation(RELATION, 3, 0.2);
    LabelGcn gcn = new LabelGcn(adjacency, new double[4][5], new double[5][5], new double[5][4]);
    double[][] t = {{0.5, 0.5, 0.5, 0.5}, {0.6, 0.0, -0.8, 0.0}, {0.0, 1.0, 0.0, 0.0}};
    double[][] refined = gcn.refine(t);
    for (int c = 0; c < t.length; c++) {
      assertArrayEquals(t[c], refined[c], 1e-15);
    }
  }

  @Test
  void seededGcnHasTheDocumentedShapeAndUnitRows() {
    LabelGcn gcn = LabelGcn.seeded(RelationAdjacency.fromRelation(RELATION, 3, 0.2), 8, 7L);
    assertEquals(8, gcn.embeddingDim());
    assertEquals(8, gcn.weights(0).length);
    assertEquals(LabelGcn.HIDDEN, gcn.weights(0)[0].length);
    assertEquals(LabelGcn.HIDDEN, gcn.weights(1).length);
    assertEquals(LabelGcn.HIDDEN, gcn.weights(1)[0].length);
    assertEquals(LabelGcn.HIDDEN, gcn.weights(2).length);
    assertEquals(8, gcn.weights(2)[0].length);

    double[][] refined = gcn.refine(embeddings(3, 8, 1L));
    assertEquals(3, refined.length);
    for (double[] row : refined) {
      assertEquals(8, row.length);
      assertEquals(1.0, Arrays.stream(row).map(v -> v * v).sum(), 1e-12);
    }
  }

  @Test
  void weightsFollowTheDocumentedDrawOrderAndBounds() {
    LabelGcn gcn = LabelGcn.seeded(RelationAdjacency.fromRelation(RELATION, 3, 0.2), 8, 42L);
    Random random = new Random(42L);
    double firstBound = 1 / Math.sqrt(LabelGcn.HIDDEN);
    assertEquals(firstBound * (2 * random.nextDouble() - 1), gcn.weights(0)[0][0], 0.0);
    assertEquals(firstBound * (2 * random.nextDouble() - 1), gcn.weights(0)[0][1], 0.0);
    double lastBound = 1 / Math.sqrt(8);
    double largest = Arrays.stream(gcn.weights(2)).flatMapToDouble(Arrays::stream)
        .map(Math::abs).max().orElseThrow();
    assertTrue(largest <= lastBound, "layer 3 weights within ±1/sqrt(8)");
    assertTrue(largest > 0.9 * lastBound, "layer 3 weights spread over the range");
  }

  @Test
  void sameSeedSameEmbeddingsOtherSeedDifferent() {
    RelationAdjacency adjacency = RelationAdjacency.fromRelation(RELATION, 3, 0.2);
    double[][] t = embeddings(3, 6, 3L);
    double[][] first = LabelGcn.seeded(adjacency, 6, 11L).refine(t);
    double[][] again = LabelGcn.seeded(adjacency, 6, 11L).refine(t);
    double[][] other = LabelGcn.seeded(adjacency, 6, 12L).refine(t);
    for (int c = 0; c < t.length; c++) {
      assertArrayEquals(first[c], again[c], 0.0);
      assertFalse(Arrays.equals(first[c], other[c]), "seed 12 gives other embeddings for class " + c);
    }
  }

  @Test
  void rejectsEmbeddingsOfTheWrongShape() {
    LabelGcn gcn = new LabelGcn(
        RelationAdjacency.fromRelation(RELATION, 3, 0.2), new double[4][2], new double[2][2], new double[2][4]);
    IllegalArgumentException rows =
        assertThrows(IllegalArgumentException.class, () -> gcn.refine(new double[2][4]));
    assertTrue(rows.getMessage().contains("one row per class"), rows.getMessage());
    IllegalArgumentException width =
        assertThrows(IllegalArgumentException.class, () -> gcn.refine(new double[3][5]));
    assertTrue(width.getMessage().contains("textEmbeddings[0]"), width.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new LabelGcn(RelationAdjacency.fromRelation(RELATION, 3, 0.2),
            new double[4][2], new double[2][2], new double[2][3]));
  }

  /** Random unit rows, as a text encoder would give. */
  private static double[][] embeddings(int classes, int dim, long seed) {
    Random random = new Random(seed);
    double[][] t = new double[classes][dim];
    for (double[] row : t) {
      double squares = 0;
      for (int d = 0; d < dim; d++) {
        row[d] = random.nextGaussian();
        squares += row[d] * row[d];
      }
      double norm = Math.sqrt(squares);
      for (int d = 0; d < dim; d++) {
        row[d] /= norm;
      }
    }
    return t;
  }
}
