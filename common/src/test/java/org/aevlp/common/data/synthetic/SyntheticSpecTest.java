package org.aevlp.common.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SyntheticSpecTest {

  private static void rejected(String field, Executable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
    assertTrue(e.getMessage().startsWith(field), "message should name " + field + ": " + e.getMessage());
  }

  @Test
  void defaultsMatchTheDesignBrief() {
    SyntheticSpec spec = SyntheticSpec.defaults();
    assertEquals(64, spec.imageSize());
    assertEquals(10, spec.classCount());
    assertEquals(1, spec.minObjects());
    assertEquals(4, spec.maxObjects());
    assertEquals(5000, spec.trainImages());
    assertEquals(1000, spec.testImages());
    assertEquals(6000, spec.captionImages());
    assertEquals(12000, spec.totalImages());
    // val_frac 0.2 of formatted_train leaves 4000 training images
    assertEquals(4000, Math.round(spec.trainImages() * (1 - SyntheticSpec.RECOMMENDED_VAL_FRAC)));
  }

  @Test
  void outOfRangeParametersAreRejectedByName() {
    rejected("class_count", () -> new SyntheticSpec(0, 10, 10, 0, 64, 11, 1, 4, 0.2, 0.4, 0.5, 0));
    rejected("max_objects", () -> new SyntheticSpec(0, 10, 10, 0, 64, 3, 1, 4, 0.2, 0.4, 0.5, 0));
    rejected("max_objects", () -> new SyntheticSpec(0, 10, 10, 0, 64, 10, 3, 2, 0.2, 0.4, 0.5, 0));
    rejected("min_objects", () -> new SyntheticSpec(0, 10, 10, 0, 64, 10, 0, 2, 0.2, 0.4, 0.5, 0));
    rejected("image_size", () -> new SyntheticSpec(0, 10, 10, 0, 8, 10, 1, 4, 0.2, 0.4, 0.5, 0));
    rejected("clutter", () -> new SyntheticSpec(0, 10, 10, 0, 64, 10, 1, 4, 0.2, 0.4, 1.5, 0));
    rejected("clutter", () -> new SyntheticSpec(0, 10, 10, 0, 64, 10, 1, 4, 0.2, 0.4, Double.NaN, 0));
    rejected("min_object_size", () -> new SyntheticSpec(0, 10, 10, 0, 64, 10, 1, 4, 0.05, 0.4, 0.5, 0));
    rejected("max_object_size", () -> new SyntheticSpec(0, 10, 10, 0, 64, 10, 1, 4, 0.3, 0.2, 0.5, 0));
    rejected("train_images", () -> new SyntheticSpec(0, 0, 10, 0, 64, 10, 1, 4, 0.2, 0.4, 0.5, 0));
    rejected("caption_images", () -> new SyntheticSpec(0, 10, 10, -1, 64, 10, 1, 4, 0.2, 0.4, 0.5, 0));
    rejected("distractors", () -> new SyntheticSpec(0, 10, 10, 0, 64, 10, 1, 4, 0.2, 0.4, 0.5, -1));
  }
}
