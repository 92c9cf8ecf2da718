package org.aevlp.labeler.scorer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the exported CLIP files are and how to run them (the {@code clip-torchscript} scorer,
 * DESIGN.md §6; the files are listed in {@link ClipTorchScriptScorer}).
 *
 * @param directory the directory holding the exported files
 * @param inputSize side S in pixels of the square views the image encoder takes, {@code >= 1};
 *     224 for ViT-B/16 ({@link #DEFAULT_INPUT_SIZE})
 * @param contextLength L, the token count every prompt is padded or truncated to for the text
 *     encoder, {@code >= 2} (room for the start and end tokens); 77 for CLIP
 *     ({@link #DEFAULT_CONTEXT_LENGTH}); unused with precomputed text embeddings
 * @param device DJL device name, e.g. "cpu" or "gpu0" ({@link #DEFAULT_DEVICE} is "cpu")
 * @param maxBatch at most this many views or prompts go through an encoder in one forward pass,
 *     {@code >= 1} (bounds memory: 32 views of 224² are 19 MB of input); default
 *     {@link #DEFAULT_MAX_BATCH}
 */
public record ClipTorchScriptConfig(
    Path directory, int inputSize, int contextLength, String device, int maxBatch) {

  public static final int DEFAULT_INPUT_SIZE = 224;
  public static final int DEFAULT_CONTEXT_LENGTH = 77;
  public static final String DEFAULT_DEVICE = "cpu";
  public static final int DEFAULT_MAX_BATCH = 32;

  public ClipTorchScriptConfig {
    Objects.requireNonNull(directory, "ClipTorchScriptConfig.directory");
    Objects.requireNonNull(device, "ClipTorchScriptConfig.device");
    if (inputSize < 1) {
      throw new IllegalArgumentException("ClipTorchScriptConfig.inputSize must be >= 1, got " + inputSize);
    }
    if (contextLength < 2) {
      throw new IllegalArgumentException(
          "ClipTorchScriptConfig.contextLength must be >= 2 (start and end tokens), got " + contextLength);
    }
    if (device.isBlank()) {
      throw new IllegalArgumentException("ClipTorchScriptConfig.device must not be blank");
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("ClipTorchScriptConfig.maxBatch must be >= 1, got " + maxBatch);
    }
  }

  /** The files in {@code directory} with every other setting at its default (CLIP ViT-B/16 on CPU). */
  public static ClipTorchScriptConfig of(Path directory) {
    return new ClipTorchScriptConfig(
        directory, DEFAULT_INPUT_SIZE, DEFAULT_CONTEXT_LENGTH, DEFAULT_DEVICE, DEFAULT_MAX_BATCH);
  }

  public ClipTorchScriptConfig withInputSize(int size) {
    return new ClipTorchScriptConfig(directory, size, contextLength, device, maxBatch);
  }

  public ClipTorchScriptConfig withContextLength(int length) {
    return new ClipTorchScriptConfig(directory, inputSize, length, device, maxBatch);
  }

  public ClipTorchScriptConfig withDevice(String name) {
    return new ClipTorchScriptConfig(directory, inputSize, contextLength, name, maxBatch);
  }

  public ClipTorchScriptConfig withMaxBatch(int batch) {
    return new ClipTorchScriptConfig(directory, inputSize, contextLength, device, batch);
  }
}
