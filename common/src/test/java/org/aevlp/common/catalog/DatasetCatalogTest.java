package org.aevlp.common.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatasetCatalogTest {

  private final DatasetCatalog catalog = DatasetCatalog.builtIn();

  @Test
  void knowsTheFourReferenceDatasetsAndSynthetic() {
    assertEquals(Set.of("pascal", "coco", "nuswide", "cub", "synthetic"), catalog.ids());
  }

  // Counts and first/last names from the reference class lists (label-index order).
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "pascal,    20,  aeroplane,   tvmonitor",
    "coco,      80,  person,      toothbrush",
    "nuswide,   81,  airport,     zebra",
    "cub,       312, curved bill, multi-colored wing",
    "synthetic, 10,  circle,      crescent",
  })
  void classNamesAreInLabelOrder(String id, int count, String first, String last) {
    List<String> names = catalog.get(id).classNames();
    assertEquals(count, names.size());
    assertEquals(count, catalog.get(id).numClasses());
    assertEquals(first, names.get(0));
    assertEquals(last, names.get(count - 1));
    assertTrue(names.stream().noneMatch(n -> n.isBlank() || !n.equals(n.strip())));
  }

  @Test
  void syntheticHasTheDesignsTenShapesAndNoRelationMatrix() {
    DatasetInfo synthetic = catalog.get("synthetic");
    assertEquals(
        List.of("circle", "square", "triangle", "star", "cross", "ring", "diamond", "heart", "arrow", "crescent"),
        synthetic.classNames());
    assertEquals(3, synthetic.topK());
    assertEquals(2.5, synthetic.expectedNumPos());
    assertEquals(Optional.empty(), synthetic.relationFile());
    assertEquals(Optional.of("relation/relation+voc.npy"), catalog.get("pascal").relationFile());
  }

  @Test
  void unknownIdIsNamedWithTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> catalog.get("imagenet"));
    assertTrue(e.getMessage().contains("\"imagenet\""), e.getMessage());
    assertTrue(e.getMessage().contains("pascal"), e.getMessage());
    assertEquals(Optional.empty(), catalog.find("imagenet"));
  }
}
