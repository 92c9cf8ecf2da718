package org.aevlp.common.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionWriterTest {

  private static SceneObject object(ShapeClass shape, ObjectColour colour) {
    return new SceneObject(shape, colour, 0.5, 0.5, 0.3, 0, 1);
  }

  @Test
  void listsObjectsWithArticlesCommasAndAnd() {
    List<SceneObject> objects =
        List.of(
            object(ShapeClass.CIRCLE, ObjectColour.RED),
            object(ShapeClass.STAR, ObjectColour.BLUE),
            object(ShapeClass.RING, ObjectColour.ORANGE));
    assertEquals(
        "a photo of a red circle, a blue star and an orange ring.", CaptionWriter.caption(objects, true));
    assertEquals("a photo of a circle, a star and a ring.", CaptionWriter.caption(objects, false));
  }

  @Test
  void singleObjectMatchesThePromptTemplate() {
    assertEquals(
        "a photo of an arrow.", CaptionWriter.caption(List.of(object(ShapeClass.ARROW, ObjectColour.PINK)), false));
    assertEquals(
        "a photo of a pink arrow and a white heart.",
        CaptionWriter.caption(
            List.of(object(ShapeClass.ARROW, ObjectColour.PINK), object(ShapeClass.HEART, ObjectColour.WHITE)), true));
  }
}
