package org.aevlp.labeler.vlm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training recipe of the tiny VLM (DESIGN.md §6). Every field changes the trained weights, so
 * all of them are part of the cache key ({@link #asMap()}).
 *
 * @param epochs passes over the captioned images (default 20: DESIGN.md's 15 left the DAMP recall
 *     short of the feasibility study's, 20 beat every figure; the loss is still falling at 25)
 * @param batchSize image–caption pairs per InfoNCE batch (default 256)
 * @param learningRate AdamW learning rate, constant (default 2e-3)
 * @param weightDecay AdamW decoupled weight decay, applied to conv/linear weights and the token
 *     embeddings (tensors of rank ≥ 2), not to biases, batch-norm affine parameters or the
 *     temperature (default 0.01, PyTorch's AdamW default)
 * @param seed initial weights, shuffling and view draws
 * @param inputSize side of the square views fed to the image tower (default 64)
 * @param cropProbability chance that a view is a random square crop instead of the whole image
 *     (default 0.5)
 * @param minCropFraction smallest crop side, fraction of the image side (default 0.33)
 * @param maxCropFraction largest crop side, fraction of the image side (default 0.7)
 * @param colourProbability chance that a view's caption keeps the colour words (default 0.5)
 * @param initialTemperature the InfoNCE temperature at start, {@code 1/logit_scale} (default 0.07,
 *     as CLIP)
 * @param maxLogitScale the logit scale is clamped to {@code ≤} this after every step (default 100,
 *     as CLIP)
 */
public record PretrainOptions(
    int epochs,
    int batchSize,
    double learningRate,
    double weightDecay,
    long seed,
    int inputSize,
    double cropProbability,
    double minCropFraction,
    double maxCropFraction,
    double colourProbability,
    double initialTemperature,
    double maxLogitScale) {

  public static final int DEFAULT_EPOCHS = 20;
  public static final int DEFAULT_BATCH_SIZE = 256;
  public static final double DEFAULT_LEARNING_RATE = 2e-3;
  public static final double DEFAULT_WEIGHT_DECAY = 0.01;
  public static final long DEFAULT_SEED = 0;
  public static final int DEFAULT_INPUT_SIZE = 64;
  public static final double DEFAULT_CROP_PROBABILITY = 0.5;
  public static final double DEFAULT_MIN_CROP_FRACTION = 0.33;
  public static final double DEFAULT_MAX_CROP_FRACTION = 0.7;
  public static final double DEFAULT_COLOUR_PROBABILITY = 0.5;
  public static final double DEFAULT_INITIAL_TEMPERATURE = 0.07;
  public static final double DEFAULT_MAX_LOGIT_SCALE = 100;

  public PretrainOptions {
    requirePositive("epochs", epochs);
    if (batchSize < 2) {
      throw new IllegalArgumentException(
          "batch_size: must be at least 2 (InfoNCE contrasts pairs within a batch), got " + batchSize);
    }
    if (!(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new IllegalArgumentException("lr: must be finite and > 0, got " + learningRate);
    }
    if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
      throw new IllegalArgumentException("weight_decay: must be finite and >= 0, got " + weightDecay);
    }
    if (inputSize < 16) {
      throw new IllegalArgumentException("input_size: must be at least 16, got " + inputSize);
    }
    requireProbability("crop_probability", cropProbability);
    requireProbability("colour_probability", colourProbability);
    if (!(minCropFraction > 0 && minCropFraction <= maxCropFraction && maxCropFraction <= 1)) {
      throw new IllegalArgumentException(
          "min_crop_fraction, max_crop_fraction: need 0 < min <= max <= 1, got " + minCropFraction
              + ", " + maxCropFraction);
    }
    if (!(initialTemperature > 0 && Double.isFinite(initialTemperature))) {
      throw new IllegalArgumentException(
          "initial_temperature: must be finite and > 0, got " + initialTemperature);
    }
    if (!(maxLogitScale >= 1 && Double.isFinite(maxLogitScale))) {
      throw new IllegalArgumentException(
          "max_logit_scale: must be finite and >= 1, got " + maxLogitScale);
    }
    if (1 / initialTemperature > maxLogitScale) {
      throw new IllegalArgumentException(
          "initial_temperature: 1/" + initialTemperature + " exceeds max_logit_scale " + maxLogitScale);
    }
  }

  /** The DESIGN.md §6 recipe, with 20 epochs instead of 15 (see {@code epochs}). */
  public static PretrainOptions defaults() {
    return new PretrainOptions(
        DEFAULT_EPOCHS,
        DEFAULT_BATCH_SIZE,
        DEFAULT_LEARNING_RATE,
        DEFAULT_WEIGHT_DECAY,
        DEFAULT_SEED,
        DEFAULT_INPUT_SIZE,
        DEFAULT_CROP_PROBABILITY,
        DEFAULT_MIN_CROP_FRACTION,
        DEFAULT_MAX_CROP_FRACTION,
        DEFAULT_COLOUR_PROBABILITY,
        DEFAULT_INITIAL_TEMPERATURE,
        DEFAULT_MAX_LOGIT_SCALE);
  }

  /** These options with another epoch count. */
  public PretrainOptions withEpochs(int newEpochs) {
    return new PretrainOptions(
        newEpochs, batchSize, learningRate, weightDecay, seed, inputSize, cropProbability,
        minCropFraction, maxCropFraction, colourProbability, initialTemperature, maxLogitScale);
  }

  /** These options with another batch size. */
  public PretrainOptions withBatchSize(int newBatchSize) {
    return new PretrainOptions(
        epochs, newBatchSize, learningRate, weightDecay, seed, inputSize, cropProbability,
        minCropFraction, maxCropFraction, colourProbability, initialTemperature, maxLogitScale);
  }

  /** These options with another seed. */
  public PretrainOptions withSeed(long newSeed) {
    return new PretrainOptions(
        epochs, batchSize, learningRate, weightDecay, newSeed, inputSize, cropProbability,
        minCropFraction, maxCropFraction, colourProbability, initialTemperature, maxLogitScale);
  }

  /** These options with another learning rate. */
  public PretrainOptions withLearningRate(double newLearningRate) {
    return new PretrainOptions(
        epochs, batchSize, newLearningRate, weightDecay, seed, inputSize, cropProbability,
        minCropFraction, maxCropFraction, colourProbability, initialTemperature, maxLogitScale);
  }

  /** The fields under snake_case names, in a fixed order: {@code vlm.json}'s parameters. */
  public Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("epochs", epochs);
    map.put("batch_size", batchSize);
    map.put("lr", learningRate);
    map.put("weight_decay", weightDecay);
    map.put("seed", seed);
    map.put("input_size", inputSize);
    map.put("crop_probability", cropProbability);
    map.put("min_crop_fraction", minCropFraction);
    map.put("max_crop_fraction", maxCropFraction);
    map.put("colour_probability", colourProbability);
    map.put("initial_temperature", initialTemperature);
    map.put("max_logit_scale", maxLogitScale);
    return map;
  }

  /**
   * Options from {@link #asMap()}'s keys.
   *
   * @throws IllegalArgumentException naming a missing or invalid key
   */
  public static PretrainOptions fromMap(Map<String, ?> map) {
    return new PretrainOptions(
        number(map, "epochs").intValue(),
        number(map, "batch_size").intValue(),
        number(map, "lr").doubleValue(),
        number(map, "weight_decay").doubleValue(),
        number(map, "seed").longValue(),
        number(map, "input_size").intValue(),
        number(map, "crop_probability").doubleValue(),
        number(map, "min_crop_fraction").doubleValue(),
        number(map, "max_crop_fraction").doubleValue(),
        number(map, "colour_probability").doubleValue(),
        number(map, "initial_temperature").doubleValue(),
        number(map, "max_logit_scale").doubleValue());
  }

  private static Number number(Map<String, ?> map, String key) {
    if (!(map.get(key) instanceof Number value)) {
      throw new IllegalArgumentException(key + ": missing or not a number");
    }
    return value;
  }

  private static void requirePositive(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + ": must be at least 1, got " + value);
    }
  }

  private static void requireProbability(String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(field + ": must be in [0, 1], got " + value);
    }
  }
}
