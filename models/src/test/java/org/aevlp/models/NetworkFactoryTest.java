package org.aevlp.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkFactoryTest {

  private static final int CLASSES = 5;

  private NDManager manager;

  @BeforeEach
  void openManager() {
    manager = NDManager.newBaseManager(DeviceSelector.select(null));
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  // torchvision's parameter counts without fc (e.g. resnet18 11,689,512 − 513,000).
  @ParameterizedTest
  @CsvSource({
    "resnet18, 11176512, 512",
    "resnet34, 21284672, 512",
    "resnet50, 23508032, 2048",
    "resnet101, 42500160, 2048"
  })
  void backboneParameterCountsMatchTorchvision(String arch, long backbone, long features) {
    try (NDManager scope = manager.newSubManager()) {
      Network network = NetworkFactory.build(NetworkSpec.of(arch, 20, 64), scope, 1);
      assertEquals(backbone, network.backboneParameterCount());
      assertEquals(features, network.featureDim());
      assertEquals(features * 20 + 20, network.headParameterCount());
    }
  }

  @Test
  void tinyVlmBackboneHasTheDesignedSize() {
    Network network = NetworkFactory.build(NetworkSpec.of("tiny-vlm", 10, 64), manager, 1);
    // convs 3·16·9 + 16·16·9 + 16·32·9 + 32·32·9 + 32·64·9 + 64·64·9 + 64·128·9 + 128·128·9
    // = 293,040; BN gamma+beta 2·2·(16+32+64+128) = 960; linear 128·64 + 64 = 8,256
    assertEquals(293_040 + 960 + 8_256, network.backboneParameterCount());
    assertEquals(64, network.featureDim());
  }

  @ParameterizedTest
  @CsvSource({
    "resnet18, 64",
    "resnet18, 112",
    "resnet34, 64",
    "resnet34, 112",
    "resnet50, 64",
    "resnet50, 112",
    "resnet101, 64",
    "resnet18-narrow, 64",
    "resnet18-narrow, 112",
    "tiny-vlm, 64",
    "tiny-vlm, 112"
  })
  void forwardGivesOneLogitPerClass(String arch, int size) {
    try (NDManager scope = manager.newSubManager()) {
      Network network = NetworkFactory.build(NetworkSpec.of(arch, CLASSES, size), scope, 3);
      NDArray images = scope.randomNormal(new Shape(2, 3, size, size));
      NDArray logits = network.forward(images, false);
      assertEquals(new Shape(2, CLASSES), logits.getShape());
      assertTrue(allFinite(logits.toFloatArray()));
    }
  }

  @Test
  void narrowResNetWorksAt448InTrainingMode() {
    Network network = NetworkFactory.build(NetworkSpec.of("resnet18-narrow", 3, 448), manager, 3);
    assertEquals(128, network.featureDim());
    try (NDManager step = manager.newSubManager()) {
      NDArray logits = network.forward(step.randomNormal(new Shape(2, 3, 448, 448)), true);
      assertEquals(new Shape(2, 3), logits.getShape());
    }
  }

  @Test
  void headParametersAreTheLinearLayerAndComeLast() {
    Network network = NetworkFactory.build(NetworkSpec.of("resnet18", 7, 64), manager, 1);
    List<Parameter> all = network.parameters();
    List<Parameter> head = all.stream().filter(network::isHead).toList();
    assertEquals(2, head.size());
    assertEquals(new Shape(7, 512), head.get(0).getShape());
    assertEquals(new Shape(7), head.get(1).getShape());
    assertEquals(head, all.subList(all.size() - 2, all.size()), "head parameters come last");
    Set<String> ids = head.stream().map(Parameter::getId).collect(Collectors.toSet());
    assertEquals(ids, network.headParameterIds());
    List<String> names = network.block().getParameters().keys();
    assertEquals(List.of("02head_weight", "02head_bias"), names.subList(all.size() - 2, all.size()));
    assertTrue(names.subList(0, all.size() - 2).stream().allMatch(n -> n.startsWith("01backbone_")));
    long backbone =
        all.stream()
            .filter(p -> !network.isHead(p) && p.requiresGradient())
            .mapToLong(p -> p.getShape().size())
            .sum();
    assertEquals(network.backboneParameterCount(), backbone);
  }

  @Test
  void runningStatisticsAreTheBatchNormBuffers() {
    Network network = NetworkFactory.build(NetworkSpec.of("resnet18", 4, 64), manager, 1);
    List<Parameter> buffers = network.runningStatistics();
    // 20 batch norms in ResNet-18 (stem 1, 8 units × 2, 3 projections), two buffers each
    assertEquals(40, buffers.size());
    assertTrue(
        buffers.stream()
            .allMatch(
                p ->
                    p.getType() == Parameter.Type.RUNNING_MEAN
                        || p.getType() == Parameter.Type.RUNNING_VAR));
    assertEquals(
        network.parameters().size(), network.trainableParameters().size() + buffers.size());
  }

  @Test
  void sameSeedGivesIdenticalWeightsAndOtherSeedsDiffer() {
    NetworkSpec spec = NetworkSpec.of("resnet18-narrow", 4, 64);
    Network a = NetworkFactory.build(spec, manager, 42);
    Network b = NetworkFactory.build(spec, manager, 42);
    Network c = NetworkFactory.build(spec, manager, 43);
    List<String> names = a.block().getParameters().keys();
    assertEquals(names, b.block().getParameters().keys(), "same parameter order");
    for (int i = 0; i < a.parameters().size(); i++) {
      assertArrayEquals(
          a.parameters().get(i).getArray().toFloatArray(),
          b.parameters().get(i).getArray().toFloatArray(),
          names.get(i));
    }
    assertFalse(
        Arrays.equals(
            a.parameters().get(0).getArray().toFloatArray(),
            c.parameters().get(0).getArray().toFloatArray()));
  }

  @Test
  void badSpecsNameTheField() {
    IllegalArgumentException arch =
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.of("vgg16", 5, 64));
    assertTrue(arch.getMessage().startsWith("arch:"), arch.getMessage());
    assertTrue(arch.getMessage().contains("resnet18-narrow"), arch.getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.of("resnet18", 0, 64))
            .getMessage()
            .startsWith("num_classes:"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.of("resnet18", 5, 16))
            .getMessage()
            .startsWith("image_size:"));
  }

  private static boolean allFinite(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
