package org.aevlp.common.data.synthetic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameters of the synthetic SPML dataset (DESIGN §5, §6). The output is a pure function of
 * these values: the same spec gives byte-identical files.
 *
 * <p>Split sizes follow the formatted SPML layout: {@code trainImages} go to
 * {@code formatted_train_*}, from which the loader carves the validation split with
 * {@code val_frac} (the default 5000 at {@code val_frac} 0.2 gives 4000 train / 1000 val), and
 * {@code testImages} go to {@code formatted_val_*}, which SPML code treats as the test set.
 *
 * @param seed root of every random draw
 * @param trainImages images in {@code formatted_train_*} (default 5000)
 * @param testImages images in {@code formatted_val_*}, the test split (default 1000)
 * @param captionImages captioned images for VLM pretraining, disjoint from the SPML images (default 6000)
 * @param imageSize width and height in pixels (default 64)
 * @param classCount number of shape classes, the first ones of {@link ShapeClass} (default 10, at most 10)
 * @param minObjects fewest objects per image (default 1)
 * @param maxObjects most objects per image (default 4); objects of one image have distinct classes
 * @param minObjectSize smallest object, as a fraction of the image side (default 0.2)
 * @param maxObjectSize largest object, as a fraction of the image side (default 0.4)
 * @param clutter background texture and pixel-noise strength in [0, 1] (default 0.5)
 * @param distractors most distractor blobs per image, irregular shapes of no class (default 0)
 */
public record SyntheticSpec(
    long seed,
    int trainImages,
    int testImages,
    int captionImages,
    int imageSize,
    int classCount,
    int minObjects,
    int maxObjects,
    double minObjectSize,
    double maxObjectSize,
    double clutter,
    int distractors) {

  public static final long DEFAULT_SEED = 0;
  public static final int DEFAULT_TRAIN_IMAGES = 5000;
  public static final int DEFAULT_TEST_IMAGES = 1000;
  public static final int DEFAULT_CAPTION_IMAGES = 6000;
  public static final int DEFAULT_IMAGE_SIZE = 64;
  public static final int DEFAULT_CLASS_COUNT = ShapeClass.COUNT;
  public static final int DEFAULT_MIN_OBJECTS = 1;
  public static final int DEFAULT_MAX_OBJECTS = 4;
  public static final double DEFAULT_MIN_OBJECT_SIZE = 0.2;
  public static final double DEFAULT_MAX_OBJECT_SIZE = 0.4;
  public static final double DEFAULT_CLUTTER = 0.5;
  public static final int DEFAULT_DISTRACTORS = 0;

  /** Validation fraction that splits the default {@code formatted_train_*} into 4000 / 1000. */
  public static final double RECOMMENDED_VAL_FRAC = 0.2;

  static final int MIN_IMAGE_SIZE = 16;
  static final int MAX_IMAGE_SIZE = 1024;
  static final int MAX_DISTRACTORS = 20;
  /** Objects smaller than this many pixels would not show their shape. */
  static final double MIN_OBJECT_PIXELS = 6;

  public SyntheticSpec {
    requireAtLeast("train_images", trainImages, 1);
    requireAtLeast("test_images", testImages, 1);
    requireAtLeast("caption_images", captionImages, 0);
    if (imageSize < MIN_IMAGE_SIZE || imageSize > MAX_IMAGE_SIZE) {
      throw new IllegalArgumentException(
          "image_size must be in " + MIN_IMAGE_SIZE + ".." + MAX_IMAGE_SIZE + ", got " + imageSize);
    }
    if (classCount < 1 || classCount > ShapeClass.COUNT) {
      throw new IllegalArgumentException(
          "class_count must be in 1.." + ShapeClass.COUNT + " (one class per named shape), got " + classCount);
    }
    requireAtLeast("min_objects", minObjects, 1);
    if (maxObjects < minObjects) {
      throw new IllegalArgumentException(
          "max_objects (" + maxObjects + ") must be >= min_objects (" + minObjects + ")");
    }
    if (maxObjects > classCount) {
      throw new IllegalArgumentException(
          "max_objects (" + maxObjects + ") must be <= class_count (" + classCount
              + "): the objects of one image have distinct classes");
    }
    if (!(minObjectSize * imageSize >= MIN_OBJECT_PIXELS)) {
      throw new IllegalArgumentException(
          "min_object_size (" + minObjectSize + ") must give objects of at least " + MIN_OBJECT_PIXELS
              + " pixels at image_size " + imageSize);
    }
    if (!(maxObjectSize >= minObjectSize && maxObjectSize <= 1)) {
      throw new IllegalArgumentException(
          "max_object_size (" + maxObjectSize + ") must be in [min_object_size (" + minObjectSize + "), 1]");
    }
    if (!(clutter >= 0 && clutter <= 1)) {
      throw new IllegalArgumentException("clutter must be in [0, 1], got " + clutter);
    }
    if (distractors < 0 || distractors > MAX_DISTRACTORS) {
      throw new IllegalArgumentException(
          "distractors must be in 0.." + MAX_DISTRACTORS + ", got " + distractors);
    }
  }

  /** The default dataset: 64×64, 10 classes, 1–4 objects, 5000 + 1000 SPML images, 6000 captioned. */
  public static SyntheticSpec defaults() {
    return new SyntheticSpec(
        DEFAULT_SEED,
        DEFAULT_TRAIN_IMAGES,
        DEFAULT_TEST_IMAGES,
        DEFAULT_CAPTION_IMAGES,
        DEFAULT_IMAGE_SIZE,
        DEFAULT_CLASS_COUNT,
        DEFAULT_MIN_OBJECTS,
        DEFAULT_MAX_OBJECTS,
        DEFAULT_MIN_OBJECT_SIZE,
        DEFAULT_MAX_OBJECT_SIZE,
        DEFAULT_CLUTTER,
        DEFAULT_DISTRACTORS);
  }

  /** This spec with other split sizes. */
  public SyntheticSpec withCounts(int train, int test, int captions) {
    return new SyntheticSpec(
        seed, train, test, captions, imageSize, classCount, minObjects, maxObjects,
        minObjectSize, maxObjectSize, clutter, distractors);
  }

  /** This spec with another seed. */
  public SyntheticSpec withSeed(long newSeed) {
    return new SyntheticSpec(
        newSeed, trainImages, testImages, captionImages, imageSize, classCount, minObjects, maxObjects,
        minObjectSize, maxObjectSize, clutter, distractors);
  }

  /** Total images written (train + test + captioned), the unit of progress reports. */
  public long totalImages() {
    return (long) trainImages + testImages + captionImages;
  }

  /** The parameters under the snake_case names {@code dataset.json} and error messages use. */
  public Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("seed", seed);
    map.put("train_images", trainImages);
    map.put("test_images", testImages);
    map.put("caption_images", captionImages);
    map.put("image_size", imageSize);
    map.put("class_count", classCount);
    map.put("min_objects", minObjects);
    map.put("max_objects", maxObjects);
    map.put("min_object_size", minObjectSize);
    map.put("max_object_size", maxObjectSize);
    map.put("clutter", clutter);
    map.put("distractors", distractors);
    return map;
  }

  private static void requireAtLeast(String field, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
    }
  }
}
