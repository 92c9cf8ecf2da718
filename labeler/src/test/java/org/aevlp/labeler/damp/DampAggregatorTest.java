package org.aevlp.labeler.damp;

import static org.aevlp.labeler.GoldenJson.doubleMatrix;
import static org.aevlp.labeler.GoldenJson.doubles;
import static org.aevlp.labeler.GoldenJson.intMatrix;
import static org.aevlp.labeler.GoldenJson.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.aevlp.labeler.GoldenJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DampAggregatorTest {

  private static final double TOLERANCE = 1e-12;

  static Stream<Arguments> goldenCases() {
    return StreamSupport.stream(GoldenJson.cases("damp.json").spliterator(), false)
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void matchesReferencePseudoLabelsAndIntermediates(String name, JsonNode golden) {
    DampAggregator aggregator = new DampAggregator(params(golden, false));
    int[][] labels = intMatrix(golden.get("label_vec"));
    List<DampResult> results = aggregator.aggregate(perImage(golden), labels);

    JsonNode debug = golden.get("debug");
    int[][] pseudoLabels = intMatrix(golden.get("pseudo_labels"));
    int[][] beforeNegatives = intMatrix(debug.get("pseudo_labels_before_neg"));
    int[][] gamma = intMatrix(debug.get("gamma"));
    double[] eta = doubles(debug.get("eta_row"));
    assertEquals(golden.get("B").intValue(), results.size());
    assertEquals(debug.get("num_negatives").intValue(), aggregator.params().numNegatives());
    for (int i = 0; i < results.size(); i++) {
      DampResult result = results.get(i);
      String image = name + " image " + i;
      assertArrayEquals(pseudoLabels[i], result.pseudoLabels(), image + " pseudo_labels");
      assertArrayEquals(beforeNegatives[i], result.positivesBeforeNegatives(), image + " before_neg");
      assertArrayEquals(gamma[i], asInts(result.gamma()), image + " gamma");
      assertEquals(eta[i], result.eta(), 0.0, image + " eta_row");
      int[] negatives = debug.get("num_negatives").intValue() == 0
          ? new int[0]
          : ints(debug.get("neg_indices_sorted").get(i));
      assertArrayEquals(negatives, result.negativeIndices(), image + " neg_indices_sorted");
      assertArrayEquals(row(debug, "sim_final", i), result.simFinal(), TOLERANCE, image + " sim_final");
      assertArrayEquals(row(debug, "sim", i), result.sim(), TOLERANCE, image + " sim");
      assertArrayEquals(row(debug, "alpha", i), result.alpha(), TOLERANCE, image + " alpha");
      assertArrayEquals(row(debug, "beta", i), result.beta(), TOLERANCE, image + " beta");
    }
  }

  @Test
  void paperVariantWritesNegativesAsMinusOneAfterThePositives() {
    JsonNode golden = goldenCase("neg_clears_positive_b1_c10_g2");
    DampResult result = new DampAggregator(params(golden, true))
        .aggregate(perImage(golden)[0], intMatrix(golden.get("label_vec"))[0]);

    int[] expected = ints(golden.get("debug").get("pseudo_labels_before_neg").get(0));
    int[] negatives = ints(golden.get("debug").get("neg_indices_sorted").get(0));
    boolean clearsAPositive = false;
    for (int c : negatives) {
      clearsAPositive |= expected[c] == 1;
      expected[c] = -1;
    }
    assertTrue(clearsAPositive, "the case should have a class that is both positive and negative");
    assertArrayEquals(expected, result.pseudoLabels());
  }

  @Test
  void referenceVariantNeverEmitsMinusOne() {
    goldenCases().forEach(arguments -> {
      JsonNode golden = (JsonNode) arguments.get()[1];
      for (DampResult result : new DampAggregator(params(golden, false))
          .aggregate(perImage(golden), intMatrix(golden.get("label_vec")))) {
        for (int label : result.pseudoLabels()) {
          assertTrue(label == 0 || label == 1, golden.get("name").asText());
        }
      }
    });
  }

  @Test
  void equalScoresAreRankedByClassIndex() {
    // All views identical and uniform: every class has the same s_final and sim.
    DampParams params = new DampParams(0.01, 0.3, 0.0, 2, 2, 0.5, 4, true);
    double[][] views = new double[params.viewCount()][4];
    DampResult result = new DampAggregator(params).aggregate(views, new int[] {0, 0, 1, 0});
    assertArrayEquals(new int[] {-1, -1, 0, 0}, result.pseudoLabels());
    assertArrayEquals(new int[] {1, 1, 0, 0}, result.positivesBeforeNegatives());
  }

  @Test
  void globalOnlyAblationIgnoresTheLocalViews() {
    // Global view: class 0; the one tile (grid 1): class 1. temp 0.1, eta 0, threshold 0.45, top 2, 1 negative.
    double[][] views = {{0.9, 0.1, 0.0}, {0.0, 0.9, 0.0}};
    int[] observed = {1, 0, 0};
    DampResult withTiles = new DampAggregator(new DampParams(0.1, 0.0, 0.45, 1, 2, 0.34, 3, false, true))
        .aggregate(views, observed);
    DampResult globalOnly = new DampAggregator(new DampParams(0.1, 0.0, 0.45, 1, 2, 0.34, 3, false, false))
        .aggregate(views, observed);
    // With the tile, class 1 reaches s_final ~ 0.5 and is a positive; from the global view alone it is not.
    assertArrayEquals(new int[] {1, 1, 0}, withTiles.positivesBeforeNegatives());
    assertArrayEquals(new int[] {1, 0, 0}, globalOnly.positivesBeforeNegatives());
    double[] exps = {Math.exp(9), Math.exp(1), Math.exp(0)};
    double sum = exps[0] + exps[1] + exps[2];
    for (int c = 0; c < 3; c++) {
      assertEquals(exps[c] / sum, globalOnly.simFinal()[c], TOLERANCE, "s_final = s_global, class " + c);
      assertEquals(exps[c] / sum, globalOnly.sim()[c], TOLERANCE, "sim = s_global, class " + c);
    }
    assertArrayEquals(new int[] {2}, globalOnly.negativeIndices());
  }

  @Test
  void theMethodAggregatesLocalViewsByDefault() {
    assertTrue(new DampParams(0.01, 0.3, 0.5, 2, 1, 0.2, 3, false).localViews());
  }

  @Test
  void rejectsInputsOfTheWrongShapeOrValue() {
    DampAggregator aggregator = new DampAggregator(new DampParams(0.01, 0.3, 0.5, 2, 1, 0.2, 3, false));
    int[] labels = {1, 0, 0};
    IllegalArgumentException views = assertThrows(IllegalArgumentException.class,
        () -> aggregator.aggregate(new double[4][3], labels));
    assertTrue(views.getMessage().contains("5 views"), views.getMessage());
    IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
        () -> aggregator.aggregate(new double[5][2], labels));
    assertTrue(width.getMessage().contains("viewLogits[0]"), width.getMessage());
    double[][] nan = new double[5][3];
    nan[2][1] = Double.NaN;
    IllegalArgumentException finite = assertThrows(IllegalArgumentException.class,
        () -> aggregator.aggregate(nan, labels));
    assertTrue(finite.getMessage().contains("viewLogits[2][1]"), finite.getMessage());
    IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
        () -> aggregator.aggregate(new double[5][3], new int[] {1, 2, 0}));
    assertTrue(label.getMessage().contains("observedLabels[1]"), label.getMessage());
  }

  private static DampParams params(JsonNode golden, boolean negativeAsMinusOne) {
    JsonNode p = golden.get("params");
    return new DampParams(
        p.get("temp").doubleValue(),
        p.get("eta").doubleValue(),
        p.get("threshold").doubleValue(),
        p.get("grid_size").intValue(),
        p.get("top_k").intValue(),
        p.get("negative_ratio").doubleValue(),
        p.get("num_classes").intValue(),
        negativeAsMinusOne);
  }

  /** Regroups the golden view-major rows (row v·B + i = view v of image i) into [B][views][C]. */
  private static double[][][] perImage(JsonNode golden) {
    double[][] rows = doubleMatrix(golden.get("logits"));
    int images = golden.get("B").intValue();
    int views = rows.length / images;
    double[][][] grouped = new double[images][views][];
    for (int v = 0; v < views; v++) {
      for (int i = 0; i < images; i++) {
        grouped[i][v] = rows[v * images + i];
      }
    }
    return grouped;
  }

  private static JsonNode goldenCase(String name) {
    for (JsonNode c : GoldenJson.cases("damp.json")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new IllegalStateException("no golden case " + name);
  }

  private static double[] row(JsonNode debug, String field, int image) {
    return doubles(debug.get(field).get(image));
  }

  private static int[] asInts(boolean[] flags) {
    int[] values = new int[flags.length];
    for (int c = 0; c < flags.length; c++) {
      values[c] = flags[c] ? 1 : 0;
    }
    return values;
  }
}
