package org.aevlp.worker.loss;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;

/** Reads the golden vectors copied from the shared golden set into {@code /golden/} on the class path. */
final class GoldenCases {

  private static final ObjectMapper JSON = new ObjectMapper();

  private GoldenCases() {}

  /** The cases of one golden file, each named by its {@code name} field. */
  static Stream<Named<JsonNode>> named(String file) {
    return StreamSupport.stream(load(file).get("cases").spliterator(), false)
        .map(c -> Named.of(c.get("name").asText(), c));
  }

  static JsonNode load(String file) {
    String resource = "/golden/" + file;
    try (InputStream in = GoldenCases.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  static double[][] matrix(JsonNode node) {
    double[][] m = new double[node.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = vector(node.get(i));
    }
    return m;
  }

  static int[][] intMatrix(JsonNode node) {
    int[][] m = new int[node.size()][];
    for (int i = 0; i < m.length; i++) {
      JsonNode row = node.get(i);
      m[i] = new int[row.size()];
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = row.get(j).intValue();
      }
    }
    return m;
  }

  static double[] vector(JsonNode node) {
    double[] v = new double[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = node.get(i).doubleValue();
    }
    return v;
  }

  /** The case's {@code params} as the loss configuration. */
  static GprParams gprParams(JsonNode params) {
    EpochSchedule schedule =
        EpochSchedule.fromReference(
            vector(params.get("beta")),
            vector(params.get("alpha")),
            vector(params.get("q2q3")),
            params.get("num_epochs").intValue(),
            params.get("linear_init").intValue());
    return new GprParams(
        params.get("use_pl").booleanValue(),
        schedule,
        params.get("lam_1").doubleValue(),
        params.get("lam_2").doubleValue(),
        params.get("rho").doubleValue(),
        params.get("reg").doubleValue(),
        params.get("expected_num_pos").doubleValue(),
        params.get("num_classes").intValue());
  }

  /** A case's {@code [label_vec as floats, pseudo_labels as int32]}, as the reference feeds them (Q11). */
  static NDList labels(NDManager manager, JsonNode goldenCase, DataType type) {
    return new NDList(
        manager.create(matrix(goldenCase.get("label_vec"))).toType(type, false),
        manager.create(intMatrix(goldenCase.get("pseudo_labels"))));
  }

  static boolean isExtreme(JsonNode goldenCase) {
    return goldenCase.get("name").asText().contains("extreme");
  }
}
