package org.aevlp.labeler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the golden vectors copied into {@code src/test/resources/golden} from the classpath. */
public final class GoldenJson {

  private GoldenJson() {}

  /** The {@code cases} array of {@code golden/<file>}. */
  public static JsonNode cases(String file) {
    String resource = "/golden/" + file;
    try (InputStream in = GoldenJson.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + resource + " is missing");
      }
      return new ObjectMapper().readTree(in).get("cases");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  public static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).doubleValue();
    }
    return values;
  }

  public static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).intValue();
    }
    return values;
  }

  public static double[][] doubleMatrix(JsonNode rows) {
    double[][] matrix = new double[rows.size()][];
    for (int r = 0; r < matrix.length; r++) {
      matrix[r] = doubles(rows.get(r));
    }
    return matrix;
  }

  public static int[][] intMatrix(JsonNode rows) {
    int[][] matrix = new int[rows.size()][];
    for (int r = 0; r < matrix.length; r++) {
      matrix[r] = ints(rows.get(r));
    }
    return matrix;
  }
}
