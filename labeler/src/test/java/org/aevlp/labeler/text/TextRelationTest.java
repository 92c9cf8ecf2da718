package org.aevlp.labeler.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.labeler.bench.UntrainedTinyVlmScorer;
import org.junit.jupiter.api.Test;

class TextRelationTest {

  @Test
  void entriesAreCosineSimilaritiesOfTheRows() {
    double s = Math.sqrt(0.5);
    float[][] rows = {{2, 0, 0}, {0, 3, 0}, {1, 1, 0}, {-4, 0, 0}};
    float[][] relation = TextRelation.cosine(rows);
    double[][] expected = {
      {1, 0, s, -1},
      {0, 1, s, 0},
      {s, s, 1, -s},
      {-1, 0, -s, 1}};
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(expected[i][j], relation[i][j], 1e-6, "(" + i + ", " + j + ")");
      }
    }
  }

  @Test
  void aZeroEmbeddingIsRefusedNamingIt() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> TextRelation.cosine(new float[][] {{1, 0}, {0, 0}}));
    assertEquals("embedding 1 is zero: its cosine similarity is undefined", error.getMessage());
  }

  @Test
  void aScorersMatrixIsSymmetricWithUnitDiagonalAndMatchesItsPromptEmbeddings() throws Exception {
    List<String> classes = DatasetCatalog.builtIn().get("synthetic").classNames();
    try (UntrainedTinyVlmScorer scorer = UntrainedTinyVlmScorer.create(classes, 32, 3)) {
      float[][] relation = TextRelation.of(scorer, classes);
      float[][] texts = scorer.embedTexts(ClassTextEmbeddings.prompts(classes));
      assertEquals(classes.size(), relation.length);
      for (int i = 0; i < relation.length; i++) {
        assertEquals(1.0, relation[i][i], 1e-5);
        for (int j = 0; j < relation.length; j++) {
          assertEquals(relation[i][j], relation[j][i]);
          double dot = 0;
          double ni = 0;
          double nj = 0;
          for (int k = 0; k < texts[i].length; k++) {
            dot += texts[i][k] * texts[j][k];
            ni += texts[i][k] * texts[i][k];
            nj += texts[j][k] * texts[j][k];
          }
          assertEquals(dot / Math.sqrt(ni * nj), relation[i][j], 1e-5);
        }
      }
    }
  }
}
