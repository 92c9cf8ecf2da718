package org.aevlp.common.data.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts describing a generated synthetic dataset, as stored under {@code "statistics"} in
 * {@code dataset.json}.
 *
 * @param trainImages rows of {@code formatted_train_*}
 * @param testImages rows of {@code formatted_val_*} (the test split)
 * @param captionImages captioned images
 * @param classCount classes
 * @param meanPositivesTrain mean number of true classes per {@code formatted_train} image
 * @param meanPositivesTest mean number of true classes per test image
 * @param observedLabels observed positives over both SPML files (one per image)
 * @param trainPositivesPerClass images of {@code formatted_train} containing each class
 * @param testPositivesPerClass test images containing each class
 * @param captionsWithColour captions that name the objects' colours
 * @param meanObjectsPerCaptionImage mean number of objects in a captioned image
 */
public record SyntheticStatistics(
    int trainImages,
    int testImages,
    int captionImages,
    int classCount,
    double meanPositivesTrain,
    double meanPositivesTest,
    long observedLabels,
    List<Integer> trainPositivesPerClass,
    List<Integer> testPositivesPerClass,
    int captionsWithColour,
    double meanObjectsPerCaptionImage) {

  public SyntheticStatistics {
    trainPositivesPerClass = List.copyOf(trainPositivesPerClass);
    testPositivesPerClass = List.copyOf(testPositivesPerClass);
  }

  ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("train_images", trainImages);
    node.put("test_images", testImages);
    node.put("caption_images", captionImages);
    node.put("class_count", classCount);
    node.put("mean_positives_train", meanPositivesTrain);
    node.put("mean_positives_test", meanPositivesTest);
    node.put("observed_labels", observedLabels);
    trainPositivesPerClass.forEach(node.putArray("train_positives_per_class")::add);
    testPositivesPerClass.forEach(node.putArray("test_positives_per_class")::add);
    node.put("captions_with_colour", captionsWithColour);
    node.put("mean_objects_per_caption_image", meanObjectsPerCaptionImage);
    return node;
  }

  static SyntheticStatistics fromJson(JsonNode node) {
    return new SyntheticStatistics(
        required(node, "train_images").intValue(),
        required(node, "test_images").intValue(),
        required(node, "caption_images").intValue(),
        required(node, "class_count").intValue(),
        required(node, "mean_positives_train").doubleValue(),
        required(node, "mean_positives_test").doubleValue(),
        required(node, "observed_labels").longValue(),
        ints(required(node, "train_positives_per_class")),
        ints(required(node, "test_positives_per_class")),
        required(node, "captions_with_colour").intValue(),
        required(node, "mean_objects_per_caption_image").doubleValue());
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("dataset.json statistics lack the field " + field);
    }
    return value;
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> values = new ArrayList<>(array.size());
    array.forEach(v -> values.add(v.intValue()));
    return values;
  }
}
