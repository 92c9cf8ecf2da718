package org.aevlp.labeler.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.common.catalog.DatasetInfo;
import org.aevlp.labeler.bench.UntrainedTinyVlmScorer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClassTextEmbeddingsTest {

  private static DatasetInfo pascal;
  private static UntrainedTinyVlmScorer scorer;
  private static ClassTextEmbeddings embeddings;

  @BeforeAll
  static void embed() throws Exception {
    pascal = DatasetCatalog.builtIn().get("pascal");
    scorer = UntrainedTinyVlmScorer.create(pascal.classNames(), 32, 3);
    embeddings = ClassTextEmbeddings.compute(scorer, pascal.classNames(), RelationMatrices.adjacencyFor(pascal, Optional.empty()));
  }

  @AfterAll
  static void close() {
    scorer.close();
  }

  @Test
  void promptsFollowTheTemplate() {
    assertEquals(List.of("a photo of a aeroplane.", "a photo of a bicycle."),
        ClassTextEmbeddings.prompts(pascal.classNames()).subList(0, 2));
  }

  @Test
  void plainEmbeddingsAreTheScorersEmbeddingsOfThePrompts() {
    float[][] expected = scorer.embedTexts(ClassTextEmbeddings.prompts(pascal.classNames()));
    float[][] plain = embeddings.plain();
    assertEquals(20, plain.length);
    for (int c = 0; c < 20; c++) {
      assertArrayEquals(expected[c], plain[c], 1e-6f);
    }
    assertSame(embeddings.forRequest(false, 1), embeddings.forRequest(false, 2));
  }

  @Test
  void refinedEmbeddingsAreTheSeededGcnResidualRenormalised() throws Exception {
    float[][] plain = embeddings.plain();
    double[][] input = new double[plain.length][];
    for (int c = 0; c < plain.length; c++) {
      input[c] = new double[plain[c].length];
      for (int d = 0; d < plain[c].length; d++) {
        input[c][d] = plain[c][d];
      }
    }
    double[][] expected = LabelGcn.seeded(RelationMatrices.adjacencyFor(pascal, Optional.empty()).orElseThrow(), plain[0].length, 17).refine(input);
    float[][] refined = embeddings.refined(17);
    for (int c = 0; c < refined.length; c++) {
      double norm = 0;
      for (int d = 0; d < refined[c].length; d++) {
        assertEquals(expected[c][d], refined[c][d], 1e-6);
        norm += refined[c][d] * refined[c][d];
      }
      assertEquals(1.0, norm, 1e-5);
      assertFalse(Arrays.equals(plain[c], refined[c]));
    }
    assertSame(refined, embeddings.forRequest(true, 17), "refined embeddings are kept per seed");
    assertFalse(Arrays.deepEquals(refined, embeddings.refined(18)), "another seed draws other GCN weights");
  }

  @Test
  void withoutARelationMatrixRefinementIsRefused() {
    ClassTextEmbeddings plainOnly = ClassTextEmbeddings.compute(scorer, List.of("circle", "square"), Optional.empty());
    assertFalse(plainOnly.canRefine());
    assertTrue(embeddings.canRefine());
    assertThrows(IllegalStateException.class, () -> plainOnly.refined(1));
  }
}
