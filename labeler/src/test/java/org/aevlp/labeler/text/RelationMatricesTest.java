package org.aevlp.labeler.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Map;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.common.catalog.DatasetInfo;
import org.aevlp.common.npy.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    RelationAdjacency adjacency = RelationMatrices.adjacencyFor(pascal, Optional.empty()).orElseThrow();
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
    assertTrue(RelationMatrices.adjacencyFor(DatasetCatalog.builtIn().get("synthetic"), Optional.empty()).isEmpty());
  }

  @Test
  void anUnknownMatrixIsAnErrorNamingIt() {
    IOException error = assertThrows(IOException.class, () -> RelationMatrices.load("relation/relation+imagenet.npy"));
    assertTrue(error.getMessage().contains("relation+imagenet.npy"));
  }

  @Test
  void aGivenFileIsUsedInsteadOfTheShippedOneAndAWrongSizeNamesTheFile(@TempDir Path dir) throws IOException {
    DatasetInfo synthetic = DatasetCatalog.builtIn().get("synthetic");
    // class 0 related to 1 more than to anything else, the rest weakly and evenly
    float[] relation = new float[100];
    java.util.Arrays.fill(relation, 0.1f);
    for (int i = 0; i < 10; i++) {
      relation[i * 10 + i] = 1;
    }
    relation[1] = 0.9f;
    relation[10] = 0.9f;
    Path file = dir.resolve("relation.npy");
    NpyWriter.writeFloat32(file, relation, 10, 10);

    RelationAdjacency adjacency = RelationMatrices.adjacencyFor(synthetic, Optional.of(file)).orElseThrow();
    assertEquals(10, adjacency.size());
    assertEquals(1 - synthetic.reweightP(), adjacency.weight(0, 0), 1e-12);
    assertTrue(adjacency.weight(0, 1) > adjacency.weight(0, 2), "class 0's weight goes to its relative, class 1");

    Path wrong = dir.resolve("wrong.npy");
    NpyWriter.writeFloat32(wrong, new float[16], 4, 4);
    IOException error = assertThrows(IOException.class,
        () -> RelationMatrices.adjacencyFor(synthetic, Optional.of(wrong)));
    assertTrue(error.getMessage().contains(wrong.toString()) && error.getMessage().contains("10 classes"),
        error.getMessage());
    Path notSquare = dir.resolve("not-square.npy");
    NpyWriter.writeFloat32(notSquare, new float[20], 10, 2);
    IOException shape = assertThrows(IOException.class,
        () -> RelationMatrices.adjacencyFor(synthetic, Optional.of(notSquare)));
    assertTrue(shape.getMessage().contains("must be square"), shape.getMessage());
  }
}
