package org.aevlp.labeler.text;

import static org.aevlp.labeler.GoldenJson.doubleMatrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.aevlp.labeler.GoldenJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RelationAdjacencyTest {

  /**
   * The golden inputs are the float32 matrix entries widened exactly to double and the golden
   * outputs were computed in float64, as this class computes; only summation order can differ.
   * (f32_max_abs_err, ~8e-8, is what a float32 computation would be off by; none happens here.)
   */
  private static final double TOLERANCE = 1e-12;

  static Stream<Arguments> goldenCases() {
    return StreamSupport.stream(GoldenJson.cases("relation.json").spliterator(), false)
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void matchesReferenceGcnRelation(String name, JsonNode golden) {
    JsonNode params = golden.get("params");
    RelationAdjacency adjacency = RelationAdjacency.fromRelation(
        doubleMatrix(golden.get("relation_in")),
        params.get("sparse_topk").intValue(),
        params.get("reweight_p").doubleValue());

    double[][] expected = doubleMatrix(golden.get("gcn_relation"));
    assertEquals(params.get("num_classes").intValue(), adjacency.size());
    double[][] actual = adjacency.toArray();
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], actual[i], TOLERANCE, name + " row " + i);
    }
  }

  @Test
  void keepsTopEntriesThenGivesNeighboursReweightP() {
    double[][] relation = {
        {1.0, 0.6, 0.2, 0.9},
        {0.6, 1.0, 0.3, 0.1},
        {0.2, 0.3, 1.0, 0.7},
        {0.9, 0.1, 0.7, 1.0}};
    double[][] adjacency = RelationAdjacency.fromRelation(relation, 3, 0.4).toArray();
    // Row 0 keeps {0, 3, 1}: off-diagonal 0.9 and 0.6 share 0.4 as 0.24 and 0.16.
    assertArrayEquals(new double[] {0.6, 0.16, 0, 0.24}, adjacency[0], 1e-15);
    // Row 1 keeps {1, 0, 2}: 0.6 and 0.3 share 0.4 as 0.4·2/3 and 0.4/3.
    assertArrayEquals(new double[] {0.4 * 2 / 3, 0.6, 0.4 / 3, 0}, adjacency[1], 1e-15);
  }

  @Test
  void equalEntriesAtTheCutAreKeptInColumnOrder() {
    double[][] relation = {
        {1.0, 0.5, 0.5},
        {0.5, 1.0, 0.5},
        {0.5, 0.5, 1.0}};
    double[][] adjacency = RelationAdjacency.fromRelation(relation, 2, 0.2).toArray();
    assertArrayEquals(new double[] {0.8, 0.2, 0}, adjacency[0], 1e-15);
    assertArrayEquals(new double[] {0.2, 0.8, 0}, adjacency[1], 1e-15);
    assertArrayEquals(new double[] {0.2, 0, 0.8}, adjacency[2], 1e-15);
  }

  @Test
  void rejectsARowWithNothingToRescale() {
    double[][] relation = {{1.0, 0.5}, {0.5, 1.0}};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RelationAdjacency.fromRelation(relation, 1, 0.2));
    assertTrue(e.getMessage().contains("relation row 0"), e.getMessage());
  }

  @Test
  void rejectsBadShapesAndParameters() {
    double[][] square = {{1.0, 0.5}, {0.5, 1.0}};
    assertMessage("square", () -> RelationAdjacency.fromRelation(new double[][] {{1, 0.5}, {1}}, 2, 0.2));
    assertMessage("sparse_topk", () -> RelationAdjacency.fromRelation(square, 3, 0.2));
    assertMessage("reweight_p", () -> RelationAdjacency.fromRelation(square, 2, 1.5));
    assertMessage("relation[1][0]",
        () -> RelationAdjacency.fromRelation(new double[][] {{1, 0.5}, {Double.NaN, 1}}, 2, 0.2));
  }

  private static void assertMessage(String fragment, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
