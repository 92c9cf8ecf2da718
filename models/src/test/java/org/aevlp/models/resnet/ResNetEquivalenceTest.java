package org.aevlp.models.resnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.aevlp.models.Network;
import org.aevlp.models.NetworkFactory;
import org.aevlp.models.NetworkSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our DJL ResNets compute what torchvision's compute: both are filled with the same
 * formula-defined weights and BatchNorm buffers and fed the same formula-defined input; the logits
 * must agree in eval and in training mode. The torchvision side is in
 * fixtures/torchvision_*.json, written by src/test/python/make_fixtures.py (torchvision 0.14.1).
 */
class ResNetEquivalenceTest {

  @ParameterizedTest
  @ValueSource(strings = {"resnet18", "resnet50"})
  void logitsMatchTorchvisionForTheSameWeights(String arch) throws IOException {
    JsonNode fixture = readFixture("/fixtures/torchvision_" + arch + ".json");
    int classes = fixture.get("num_classes").asInt();
    Shape inputShape = shape(fixture.get("input_shape"));
    try (NDManager manager = NDManager.newBaseManager()) {
      Network network =
          NetworkFactory.build(NetworkSpec.of(arch, classes, (int) inputShape.get(2)), manager, 0);
      List<Parameter> parameters = network.parameters();
      JsonNode names = fixture.get("parameter_names");
      assertEquals(names.size(), parameters.size(), "one DJL parameter per torchvision tensor");
      for (int i = 0; i < parameters.size(); i++) {
        assertTypeMatches(names.get(i).asText(), parameters.get(i));
        fill(i, parameters.get(i), manager);
      }
      try (NDManager step = manager.newSubManager()) {
        NDArray images = step.create(inputValues(inputShape.size()), inputShape);
        assertClose(fixture.get("eval_logits"), network.forward(images, false).toFloatArray());
        assertClose(fixture.get("train_logits"), network.forward(images, true).toFloatArray());
      }
    }
  }

  /** x[k] = sin(0.013 k) + 0.5 sin(1.1 k + 0.2), as in make_fixtures.py. */
  private static float[] inputValues(long size) {
    float[] values = new float[(int) size];
    for (int k = 0; k < values.length; k++) {
      values[k] = (float) (Math.sin(0.013 * k) + 0.5 * Math.sin(1.1 * k + 0.2));
    }
    return values;
  }

  /** Parameter {@code index}'s formula values, as in make_fixtures.py's formula_values. */
  private static void fill(int index, Parameter parameter, NDManager manager) {
    Shape shape = parameter.getShape();
    float[] values = new float[(int) shape.size()];
    double fanIn = shape.dimension() >= 2 ? shape.size() / shape.get(0) : 1;
    for (int k = 0; k < values.length; k++) {
      double u = hashedUniform(index, k);
      double v =
          switch (parameter.getType()) {
            case WEIGHT -> u * Math.sqrt(6.0 / fanIn);
            case RUNNING_VAR -> 1.0 + 0.25 * u * u;
            case GAMMA -> 1.0 + 0.1 * u;
            default -> 0.1 * u;
          };
      values[k] = (float) v;
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDArray target = parameter.getArray();
      boolean grad = target.hasGradient();
      target.setRequiresGradient(false);
      target.set(new NDIndex("..."), scratch.create(values, shape));
      target.setRequiresGradient(grad);
    }
  }

  /** make_fixtures.py's hashed_uniform: a 32-bit integer hash of (index, k) mapped to [-1, 1). */
  private static double hashedUniform(int index, long k) {
    long mask = 0xFFFFFFFFL;
    long h = (k * 2654435761L + index * 40503L + 12345L) & mask;
    h ^= h >>> 15;
    h = (h * 2246822519L) & mask;
    h ^= h >>> 13;
    h = (h * 3266489917L) & mask;
    h ^= h >>> 16;
    return h / 4294967296.0 * 2.0 - 1.0;
  }

  private static void assertTypeMatches(String name, Parameter parameter) {
    Parameter.Type expected;
    if (name.endsWith("running_mean")) {
      expected = Parameter.Type.RUNNING_MEAN;
    } else if (name.endsWith("running_var")) {
      expected = Parameter.Type.RUNNING_VAR;
    } else if (parameter.getShape().dimension() >= 2) {
      expected = Parameter.Type.WEIGHT;
    } else if (name.startsWith("fc.")) {
      expected = Parameter.Type.BIAS;
    } else {
      expected = name.endsWith("weight") ? Parameter.Type.GAMMA : Parameter.Type.BETA;
    }
    assertEquals(expected, parameter.getType(), "type of the parameter matching " + name);
  }

  /**
   * Within 0.2 % of the largest logit: float32 rounding differs between libtorch versions (torch's
   * own float32 and float64 results differ by about 0.02 %), a layout error changes logits by tens
   * of percent.
   */
  private static void assertClose(JsonNode expected, float[] actual) {
    assertEquals(expected.size(), actual.length);
    double scale = 0;
    for (JsonNode value : expected) {
      scale = Math.max(scale, Math.abs(value.asDouble()));
    }
    for (int i = 0; i < actual.length; i++) {
      double diff = Math.abs(expected.get(i).asDouble() - actual[i]);
      assertTrue(
          diff <= 2e-3 * scale,
          "logit " + i + ": torchvision " + expected.get(i).asDouble() + ", ours " + actual[i]);
    }
  }

  private static Shape shape(JsonNode dims) {
    long[] values = new long[dims.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = dims.get(i).asLong();
    }
    return new Shape(values);
  }

  private static JsonNode readFixture(String resource) throws IOException {
    try (InputStream in = ResNetEquivalenceTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing test resource " + resource);
      }
      return new ObjectMapper().readTree(in);
    }
  }
}
