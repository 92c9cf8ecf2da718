package org.aevlp.models.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.aevlp.models.Architecture;
import org.aevlp.models.Network;
import org.aevlp.models.NetworkFactory;
import org.aevlp.models.NetworkSpec;
import org.aevlp.models.vlm.TinyVlm;
import org.aevlp.models.vlm.Vocabulary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackboneWeightsTest {

  private static final NetworkSpec NARROW = NetworkSpec.of("resnet18-narrow", 6, 64);

  @TempDir Path dir;

  private NDManager manager;

  @BeforeEach
  void openManager() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void savedBackboneLoadsIntoAnotherClassifierWithIdenticalFeatures() throws IOException {
    Network source = NetworkFactory.build(NARROW, manager, 1);
    try (NDManager step = manager.newSubManager()) {
      // moves the running statistics away from their initial values, so they must travel too
      source.forward(step.randomNormal(new Shape(4, 3, 64, 64)), true);
    }
    Path file = dir.resolve("narrow.backbone");
    BackboneWeights.save(file, Architecture.RESNET18_NARROW, source.backbone());

    Network target = NetworkFactory.buildWithBackbone(NARROW, manager, 2, file);
    Network fresh = NetworkFactory.build(NARROW, manager, 2);
    try (NDManager step = manager.newSubManager()) {
      NDArray images = step.randomNormal(new Shape(2, 3, 64, 64));
      assertArrayEquals(features(source, images), features(target, images), 0f);
      assertFalse(
          Arrays.equals(
              source.forward(images, false).toFloatArray(),
              target.forward(images, false).toFloatArray()),
          "the heads differ, so the logits must too");
    }
    List<Parameter> loadedHead = target.head().getParameters().values();
    List<Parameter> freshHead = fresh.head().getParameters().values();
    for (int i = 0; i < loadedHead.size(); i++) {
      assertArrayEquals(
          freshHead.get(i).getArray().toFloatArray(),
          loadedHead.get(i).getArray().toFloatArray(),
          "head stays as initialised from its own seed");
    }
  }

  @Test
  void loadingKeepsArrayHandlesAndGradientFlags() throws IOException {
    Network source = NetworkFactory.build(NARROW, manager, 1);
    Path file = dir.resolve("narrow.backbone");
    BackboneWeights.save(file, Architecture.RESNET18_NARROW, source.backbone());
    Network target = NetworkFactory.build(NARROW, manager, 9);
    List<NDArray> before = target.parameters().stream().map(Parameter::getArray).toList();

    BackboneWeights.load(file, Architecture.RESNET18_NARROW, target.backbone(), manager);

    List<Parameter> after = target.parameters();
    for (int i = 0; i < after.size(); i++) {
      assertSame(before.get(i), after.get(i).getArray());
      assertEquals(after.get(i).requiresGradient(), after.get(i).getArray().hasGradient());
    }
    assertArrayEquals(
        source.parameters().get(0).getArray().toFloatArray(),
        target.parameters().get(0).getArray().toFloatArray());
    try (NDManager step = manager.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(target.forward(step.randomNormal(new Shape(2, 3, 64, 64)), true).sum());
      try (NDArray gradient = target.parameters().get(0).getArray().getGradient()) {
        assertTrue(gradient.abs().sum().getFloat() > 0, "the loaded stem conv still learns");
      }
    }
  }

  @Test
  void tinyVlmImageTowerBecomesTheTinyVlmClassifiersBackbone() throws IOException {
    TinyVlm vlm =
        TinyVlm.create(Vocabulary.forPrompts(List.of("circle"), List.of("red")), 64, manager, 4);
    Path file = dir.resolve("tower.backbone");
    BackboneWeights.save(file, Architecture.TINY_VLM, vlm.imageTower());

    Network classifier =
        NetworkFactory.buildWithBackbone(NetworkSpec.of("tiny-vlm", 10, 64), manager, 1, file);
    try (NDManager step = manager.newSubManager()) {
      NDArray images = step.randomUniform(0, 1, new Shape(2, 3, 64, 64));
      NDArray raw =
          vlm.imageTower()
              .forward(new ParameterStore(step, false), new NDList(images), false)
              .singletonOrThrow();
      assertArrayEquals(raw.toFloatArray(), features(classifier, images), 0f);
    }
  }

  @Test
  void aBackboneOfAnotherArchitectureIsRejectedNamingBoth() throws IOException {
    Network source = NetworkFactory.build(NARROW, manager, 1);
    Path file = dir.resolve("narrow.backbone");
    BackboneWeights.save(file, Architecture.RESNET18_NARROW, source.backbone());
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                NetworkFactory.buildWithBackbone(
                    NetworkSpec.of("resnet18", 6, 64), manager, 1, file));
    assertTrue(error.getMessage().startsWith("pretrained_path:"), error.getMessage());
    assertTrue(error.getMessage().contains("'resnet18-narrow'"), error.getMessage());
    assertTrue(error.getMessage().contains("'resnet18'"), error.getMessage());
  }

  @Test
  void aFileWithoutTheHeaderIsRejected() throws IOException {
    Path file = dir.resolve("random.bin");
    Files.write(file, new byte[] {'P', 'K', 3, 4, 9, 9, 9, 9});
    assertFalse(BackboneWeights.isBackboneFile(file));
    Network target = NetworkFactory.build(NARROW, manager, 1);
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BackboneWeights.load(
                    file, Architecture.RESNET18_NARROW, target.backbone(), manager));
    assertTrue(error.getMessage().contains("not an aevlp backbone file"), error.getMessage());
  }

  private static float[] features(Network network, NDArray images) {
    ParameterStore store = new ParameterStore(images.getManager(), false);
    return network.backbone().forward(store, new NDList(images), false).head().toFloatArray();
  }
}
