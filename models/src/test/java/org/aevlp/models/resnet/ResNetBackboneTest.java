package org.aevlp.models.resnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResNetBackboneTest {

  @Test
  void bottleneckCarriesTheStrideOnItsThreeByThreeConv() {
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock backbone = ResNetBackbone.create(ResNetLayout.RESNET50);
      backbone.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
      ResidualUnit firstOfStage2 = (ResidualUnit) child(child(backbone, 2), 0);
      Block residual = child(firstOfStage2, 0);
      Shape in = new Shape(1, 256, 16, 16);
      Shape afterReduce = child(residual, 0).getOutputShapes(new Shape[] {in})[0];
      assertEquals(new Shape(1, 128, 16, 16), afterReduce, "1×1 reduce keeps the resolution");
      Shape afterThree = child(residual, 3).getOutputShapes(new Shape[] {afterReduce})[0];
      assertEquals(new Shape(1, 128, 8, 8), afterThree, "3×3 conv halves it (v1.5)");
      assertEquals(new Shape(1, 512, 8, 8), firstOfStage2.getOutputShapes(new Shape[] {in})[0]);
    }
  }

  @Test
  void projectionShortcutsOnlyWhereTheShapeChanges() {
    assertEquals(List.of(false, false, true, false, true, false, true, false),
        projections(ResNetLayout.RESNET18));
    List<Boolean> resnet50 = projections(ResNetLayout.RESNET50);
    assertTrue(resnet50.get(0), "first bottleneck widens 64 → 256");
    assertEquals(4, resnet50.stream().filter(p -> p).count());
    assertFalse(resnet50.get(1));
  }

  @Test
  void stemHalvesTwiceAndStagesHalveThreeTimes() {
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock backbone = ResNetBackbone.create(ResNetLayout.RESNET18_NARROW);
      Shape input = new Shape(2, 3, 112, 112);
      backbone.initialize(manager, DataType.FLOAT32, input);
      Shape afterStem = child(backbone, 0).getOutputShapes(new Shape[] {input})[0];
      assertEquals(new Shape(2, 16, 28, 28), afterStem);
      Shape features = backbone.getOutputShapes(new Shape[] {input})[0];
      assertEquals(new Shape(2, 128), features);
    }
  }

  private static List<Boolean> projections(ResNetLayout layout) {
    SequentialBlock backbone = ResNetBackbone.create(layout);
    return backbone.getChildren().values().subList(1, 5).stream()
        .flatMap(stage -> stage.getChildren().values().stream())
        .map(unit -> ((ResidualUnit) unit).hasProjection())
        .toList();
  }

  private static Block child(Block block, int index) {
    return block.getChildren().get(index).getValue();
  }
}
