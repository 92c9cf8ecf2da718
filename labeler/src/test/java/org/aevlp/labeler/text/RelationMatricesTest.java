package org.aevlp.labeler.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.common.catalog.DatasetInfo;
import org.junit.jupiter.api.Test;

class RelationMatricesTest {

  @Test
  void everyReferenceDatasetShipsASquareMatrixOfItsClassCountWithUnitDiagonal() throws IOException {
    for (Map.Entry<String, Integer> dataset : Map.of("pascal", 20, "coco", 80, "nuswide", 81, "cub", 312).entrySet()) {
      DatasetInfo info = DatasetCatalog.builtIn().get(dataset.getKey());
      double[][] relation = RelationMatrices.load(info.relationFile().orElseThrow());
      assertEquals(dataset.getValue(), relation.length, dataset.getKey());
      for (int i = 0; i < relation.length; i++) {
        assertEquals(relation.length, relation[i].length);
        assertEquals(1.0, relation[i][i], 1e-5, dataset.getKey() + " diagonal " + i);
      }
    }
  }

  @Test
  void adjacencyRowsKeepOneMinusReweightOnTheDiagonalAndSumToOne() throws IOException {
    DatasetInfo pascal = DatasetCatalog.builtIn().get("pascal");
    RelationAdjacency adjacency = RelationMatrices.adjacencyFor(pascal).orElseThrow();
    assertEquals(20, adjacency.size());
    for (int i = 0; i < 20; i++) {
      double sum = 0;
      for (int j = 0; j < 20; j++) {
        sum += adjacency.weight(i, j);
      }
      assertEquals(1.0, sum, 1e-12);
      assertEquals(1 - pascal.reweightP(), adjacency.weight(i, i), 1e-12);
    }
  }

  @Test
  void syntheticHasNoRelationMatrix() throws IOException {
    assertTrue(RelationMatrices.adjacencyFor(DatasetCatalog.builtIn().get("synthetic")).isEmpty());
  }

  @Test
  void anUnknownMatrixIsAnErrorNamingIt() {
    IOException error = assertThrows(IOException.class, () -> RelationMatrices.load("relation/relation+imagenet.npy"));
    assertTrue(error.getMessage().contains("relation+imagenet.npy"));
  }
}
