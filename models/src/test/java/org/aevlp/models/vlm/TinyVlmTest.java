package org.aevlp.models.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TinyVlmTest {

  private static final Vocabulary VOCABULARY =
      Vocabulary.forPrompts(List.of("circle", "square", "star"), List.of("red", "green"));

  private NDManager manager;
  private TinyVlm vlm;

  @BeforeEach
  void build() {
    manager = NDManager.newBaseManager();
    vlm = TinyVlm.create(VOCABULARY, 64, manager, 5);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void imageEmbeddingsAreUnitVectorsOfDimension64() {
    try (NDManager step = manager.newSubManager()) {
      NDArray images = step.randomUniform(0, 1, new Shape(3, 3, 64, 64));
      NDArray embeddings = vlm.embedImages(images, false);
      assertEquals(new Shape(3, 64), embeddings.getShape());
      assertUnitRows(embeddings);
    }
  }

  @Test
  void captionEmbeddingsAreUnitVectorsOfDimension64() {
    try (NDManager step = manager.newSubManager()) {
      NDArray embeddings =
          vlm.embedCaptions(
              List.of("a photo of a circle.", "a red star", "a purple hexagon"), step, false);
      assertEquals(new Shape(3, 64), embeddings.getShape());
      assertUnitRows(embeddings);
    }
  }

  @Test
  void paddingDoesNotChangeACaptionsEmbedding() {
    try (NDManager step = manager.newSubManager()) {
      float[] alone = vlm.embedCaptions(List.of("a red circle"), step, false).toFloatArray();
      float[] batched =
          vlm.embedCaptions(List.of("a photo of a green square .", "a red circle"), step, false)
              .get(1)
              .toFloatArray();
      assertArrayEquals(alone, batched, 1e-6f);
    }
  }

  @Test
  void wordOrderDoesNotMatterToABagOfWords() {
    try (NDManager step = manager.newSubManager()) {
      NDArray both = vlm.embedCaptions(List.of("red circle", "circle red", "red star"), step, false);
      assertArrayEquals(both.get(0).toFloatArray(), both.get(1).toFloatArray(), 1e-6f);
      assertTrue(both.get(0).sub(both.get(2)).abs().max().getFloat() > 1e-3f);
    }
  }

  @Test
  void gradientsReachOnlyTheEmbeddingRowsOfTokensUsed() {
    try (NDManager step = manager.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray embeddings = vlm.embedCaptions(List.of("red circle", "a red"), step, true);
      collector.backward(embeddings.get(":, 0").sum());
      NDArray table = vlm.textTower().getParameters().get("embedding").getArray();
      try (NDArray gradient = table.getGradient()) {
        float[] rowNorms = gradient.abs().sum(new int[] {1}).toFloatArray();
        for (int id = 0; id < rowNorms.length; id++) {
          String token = VOCABULARY.tokens().get(id);
          boolean used = List.of("red", "circle", "a").contains(token);
          assertEquals(used, rowNorms[id] > 0, "gradient on row of '" + token + "'");
        }
      }
    }
  }

  @Test
  void textTowerSizeFollowsTheVocabulary() {
    long params =
        vlm.textTower().getParameters().values().stream()
            .mapToLong(p -> p.getShape().size())
            .sum();
    assertEquals(VOCABULARY.size() * 64L + 64 * 64 + 64, params);
  }

  private static void assertUnitRows(NDArray embeddings) {
    float[] norms = embeddings.norm(new int[] {1}).toFloatArray();
    for (float n : norms) {
      assertEquals(1f, n, 1e-5f);
    }
  }
}
