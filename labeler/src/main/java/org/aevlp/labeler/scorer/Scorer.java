package org.aevlp.labeler.scorer;

import java.util.List;

/**
 * A frozen vision-language model seen through the two operations DAMP needs: embed image views
 * and embed class prompts, both L2-normalised so that their dot product is the cosine similarity
 * (DESIGN §4: DAMP uses raw cosine similarities, no logit scale).
 *
 * <p>Implementations are thread-safe for concurrent {@link #embedImages} calls or say otherwise.
 */
public interface Scorer extends AutoCloseable {

  /** Short name, as in the spec's {@code scorer} field ("tiny-vlm", "clip-torchscript"). */
  String name();

  /** Side in pixels of the square views this scorer takes. */
  int inputSize();

  /** Length of every embedding. */
  int embeddingDimension();

  /**
   * Embeds views. Each view is a 3×{@link #inputSize()}×{@link #inputSize()} float array in CHW
   * order, normalised with the ImageNet mean and standard deviation.
   *
   * @return one L2-normalised row per view, in order
   */
  float[][] embedImages(List<float[]> views);

  /**
   * Embeds prompts (e.g. "a photo of a circle.").
   *
   * @return one L2-normalised row per prompt, in order
   */
  float[][] embedTexts(List<String> prompts);

  @Override
  void close();
}
