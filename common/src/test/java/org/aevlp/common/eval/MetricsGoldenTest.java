package org.aevlp.common.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every case of golden/metrics.json (kinds "map" and "pl"). */
class MetricsGoldenTest {

  private static final double AP_ATOL = 1e-12;

  private static List<JsonNode> cases(String kind) throws IOException {
    try (InputStream in = MetricsGoldenTest.class.getResourceAsStream("/golden/metrics.json")) {
      if (in == null) {
        throw new IllegalStateException("golden/metrics.json is not on the test classpath");
      }
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
        if (kind.equals(c.get("kind").asText())) {
          out.add(c);
        }
      }
      return out;
    }
  }

  @Test
  void goldenFileHasTheDocumentedCases() throws IOException {
    assertEquals(4, cases("map").size());
    assertEquals(5, cases("pl").size());
  }

  @TestFactory
  Stream<DynamicTest> meanAveragePrecisionMatchesReference() throws IOException {
    return cases("map").stream()
        .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> checkMap(c)));
  }

  private static void checkMap(JsonNode c) {
    double[][] scores = doubles(c.get("y_pred"));
    int[][] targets = ints(c.get("y_true"));
    assertEquals(c.get("N").asInt(), scores.length);
    assertEquals(c.get("C").asInt(), scores[0].length);
    double[] expectedAp = doubles1(c.get("ap_per_class"));
    double[] expectedApPercent = doubles1(c.get("ap_per_class_percent"));
    double expectedMap = c.get("map_percent").asDouble();

    MeanAveragePrecision map = MeanAveragePrecision.of(scores, targets);
    assertEquals(expectedAp.length, map.numClasses());
    for (int j = 0; j < expectedAp.length; j++) {
      assertEquals(expectedAp[j], map.apPerClass().get(j), AP_ATOL, "AP of class " + j);
      assertEquals(expectedApPercent[j], map.apPercent(j), AP_ATOL, "AP% of class " + j);
    }
    assertEquals(expectedMap, map.mapPercent(), AP_ATOL, "mAP%");

    // byte targets, per-column AveragePrecision and shuffled shards must agree with the same values
    MeanAveragePrecision fromBytes = MeanAveragePrecision.of(scores, toBytes(targets));
    assertEquals(map, fromBytes);
    for (int j = 0; j < expectedAp.length; j++) {
      double[] column = new double[scores.length];
      boolean[] positive = new boolean[scores.length];
      for (int r = 0; r < scores.length; r++) {
        column[r] = scores[r][j];
        positive[r] = targets[r][j] == 1;
      }
      assertEquals(expectedAp[j], AveragePrecision.of(column, positive), AP_ATOL, "class " + j);
    }
    MeanAveragePrecision sharded = accumulateInShuffledShards(scores, targets, new Random(7));
    assertEquals(map, sharded);
  }

  private static MeanAveragePrecision accumulateInShuffledShards(
      double[][] scores, int[][] targets, Random random) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    MeanAveragePrecisionAccumulator acc =
        new MeanAveragePrecisionAccumulator(scores.length, scores[0].length);
    int start = 0;
    while (start < order.size()) {
      int size = Math.min(order.size() - start, 1 + random.nextInt(4));
      int[] idx = new int[size];
      double[][] s = new double[size][];
      int[][] t = new int[size][];
      for (int i = 0; i < size; i++) {
        idx[i] = order.get(start + i);
        s[i] = scores[idx[i]];
        t[i] = targets[idx[i]];
      }
      assertFalse(acc.isComplete());
      acc.add(idx, s, t);
      start += size;
    }
    assertTrue(acc.isComplete());
    return acc.result();
  }

  @TestFactory
  Stream<DynamicTest> pseudoLabelQualityMatchesReference() throws IOException {
    return cases("pl").stream()
        .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> checkPl(c)));
  }

  private static void checkPl(JsonNode c) {
    int[][] pseudo = ints(c.get("pseudo_labels"));
    int[][] observed = ints(c.get("y_obs"));
    int[][] truth = ints(c.get("y_true"));
    double precision = c.get("precision").asDouble();
    double recall = c.get("recall").asDouble();
    double referenceF1 = c.get("f1").asDouble();
    double standardF1 = c.get("f1_standard_2PR_over_P_plus_R").asDouble();

    PseudoLabelQuality q = PseudoLabelQuality.of(pseudo, observed, truth);
    assertEquals(precision, q.precision(), 0.0, "precision");
    assertEquals(recall, q.recall(), 0.0, "recall");
    assertEquals(referenceF1, q.referenceHalfF1(), 0.0, "reference F1 = PR/(P+R)");
    assertEquals(standardF1, q.f1(), 0.0, "F1 = 2PR/(P+R)");

    assertEquals(q, PseudoLabelQuality.of(toBytes(pseudo), toBytes(observed), toBytes(truth)));

    // one row per batch: counts add up, so the epoch figure is exactly the whole-matrix figure
    PseudoLabelQualityAccumulator acc = new PseudoLabelQualityAccumulator();
    for (int r = 0; r < pseudo.length; r++) {
      acc.add(new int[][] {pseudo[r]}, new int[][] {observed[r]}, new int[][] {truth[r]});
    }
    assertEquals(q, acc.quality());
  }

  private static double[][] doubles(JsonNode m) {
    double[][] out = new double[m.size()][];
    for (int r = 0; r < m.size(); r++) {
      out[r] = doubles1(m.get(r));
    }
    return out;
  }

  private static double[] doubles1(JsonNode v) {
    double[] out = new double[v.size()];
    for (int i = 0; i < v.size(); i++) {
      out[i] = v.get(i).asDouble();
    }
    return out;
  }

  private static int[][] ints(JsonNode m) {
    int[][] out = new int[m.size()][];
    for (int r = 0; r < m.size(); r++) {
      out[r] = new int[m.get(r).size()];
      for (int c = 0; c < out[r].length; c++) {
        JsonNode v = m.get(r).get(c);
        if (!v.isIntegralNumber()) {
          throw new IllegalStateException("expected an integer label, got " + v);
        }
        out[r][c] = v.asInt();
      }
    }
    return out;
  }

  private static byte[][] toBytes(int[][] m) {
    byte[][] out = new byte[m.length][];
    for (int r = 0; r < m.length; r++) {
      out[r] = new byte[m[r].length];
      for (int c = 0; c < m[r].length; c++) {
        out[r][c] = (byte) m[r][c];
      }
    }
    return out;
  }
}
