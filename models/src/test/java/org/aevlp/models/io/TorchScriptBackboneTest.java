package org.aevlp.models.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.aevlp.models.Network;
import org.aevlp.models.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads fixtures/tiny_backbone.pt, a TorchScript module written by
 * src/test/python/make_fixtures.py with torch 1.13.1 (conv-BN-ReLU ×2, global average pool, 12
 * features, N×12×1×1 output).
 */
class TorchScriptBackboneTest {

  private static final NetworkSpec SPEC = NetworkSpec.of("resnet50", 4, 32);

  @TempDir Path dir;

  @Test
  void fixtureIsDetectedAsTorchScript() throws Exception {
    assertEquals(PretrainedFormat.TORCHSCRIPT, PretrainedFormat.of(fixture()));
  }

  @Test
  void featuresMatchPyTorchsAndTheHeadIsNew() throws Exception {
    JsonNode expected = readJson("/fixtures/tiny_backbone.json");
    try (TorchScriptNetwork loaded = TorchScriptBackbone.load(fixture(), SPEC, Device.cpu(), 1)) {
      Network network = loaded.network();
      assertEquals(12, network.featureDim());
      assertSame(network.block(), loaded.model().getBlock());
      try (NDManager step = loaded.model().getNDManager().newSubManager()) {
        Shape shape = new Shape(2, 3, 32, 32);
        NDArray images = step.create(formulaInput((int) shape.size()), shape);
        float[] features =
            network.backbone()
                .forward(new ParameterStore(step, false), new NDList(images), false)
                .head()
                .toFloatArray();
        JsonNode values = expected.get("features");
        assertEquals(values.size(), features.length);
        for (int i = 0; i < features.length; i++) {
          assertEquals(values.get(i).asDouble(), features[i], 1e-5, "feature " + i);
        }
        assertEquals(new Shape(2, 4), network.forward(images, false).getShape());
      }
      List<Parameter> head = network.parameters().stream().filter(network::isHead).toList();
      assertEquals(List.of(new Shape(4, 12), new Shape(4)), head.stream().map(Parameter::getShape).toList());
    }
  }

  @Test
  void trainParamOptionMakesTheModuleTrainable() throws Exception {
    try (TorchScriptNetwork loaded = TorchScriptBackbone.load(fixture(), SPEC, Device.cpu(), 1)) {
      Network network = loaded.network();
      List<Parameter> backbone =
          network.parameters().stream().filter(p -> !network.isHead(p)).toList();
      // conv1, bn1 weight+bias, conv2, bn2 weight+bias; running statistics stay TorchScript buffers
      assertEquals(6, backbone.size());
      assertTrue(backbone.stream().allMatch(Parameter::requiresGradient));
      assertEquals(8 * 3 * 9 + 2 * 8 + 12 * 8 * 9 + 2 * 12, network.backboneParameterCount());
      try (NDManager step = loaded.model().getNDManager().newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray images = step.randomNormal(new Shape(2, 3, 32, 32));
        collector.backward(network.forward(images, true).sum());
        try (NDArray gradient = backbone.get(0).getArray().getGradient()) {
          assertTrue(gradient.abs().sum().getFloat() > 0, "gradient reaches the first conv");
        }
      }
    }
  }

  @Test
  void aMissingFileNamesTheField() {
    IOException error =
        assertThrows(
            IOException.class,
            () -> TorchScriptBackbone.load(dir.resolve("none.pt"), SPEC, Device.cpu(), 1));
    assertTrue(error.getMessage().startsWith("pretrained_path:"), error.getMessage());
  }

  private static float[] formulaInput(int size) {
    float[] values = new float[size];
    for (int k = 0; k < size; k++) {
      values[k] = (float) (Math.sin(0.013 * k) + 0.5 * Math.sin(1.1 * k + 0.2));
    }
    return values;
  }

  private static Path fixture() throws URISyntaxException {
    return Path.of(TorchScriptBackboneTest.class.getResource("/fixtures/tiny_backbone.pt").toURI());
  }

  private static JsonNode readJson(String resource) throws IOException {
    try (InputStream in = TorchScriptBackboneTest.class.getResourceAsStream(resource)) {
      return new ObjectMapper().readTree(in);
    }
  }
}
