package org.aevlp.labeler.bench;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.labeler.scorer.TinyVlmScorer;
import org.aevlp.models.vlm.TinyVlm;
import org.aevlp.models.vlm.Vocabulary;

/**
 * The built-in tiny VLM's real towers with seeded random weights, never trained: a scorer with the
 * shapes, costs and thread behaviour of the pretrained tiny VLM (it is a {@link TinyVlmScorer}
 * over untrained towers), for benchmarks and tests that measure serving rather than label
 * quality. Its pseudo-labels carry no information about the images; never use it to train.
 */
public final class UntrainedTinyVlmScorer implements Scorer {

  /** The name it reports, distinct from the real scorers' names. */
  public static final String NAME = "tiny-vlm-untrained";

  private final TinyVlmScorer towers;

  private UntrainedTinyVlmScorer(TinyVlmScorer towers) {
    this.towers = towers;
  }

  /**
   * A scorer whose vocabulary holds the prompt words of {@code classNames}.
   *
   * @param inputSize side of its square views, at least 16
   * @param seed seed of the random weights
   */
  public static UntrainedTinyVlmScorer create(List<String> classNames, int inputSize, int seed) {
    NDManager manager = NDManager.newBaseManager();
    try {
      TinyVlm vlm = TinyVlm.create(Vocabulary.forPrompts(classNames, List.of()), inputSize, manager, seed);
      return new UntrainedTinyVlmScorer(new TinyVlmScorer(vlm, inputSize, manager));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int inputSize() {
    return towers.inputSize();
  }

  @Override
  public int embeddingDimension() {
    return towers.embeddingDimension();
  }

  @Override
  public float[][] embedImages(List<float[]> views) {
    return towers.embedImages(views);
  }

  @Override
  public float[][] embedTexts(List<String> prompts) {
    return towers.embedTexts(prompts);
  }

  @Override
  public void close() {
    towers.close();
  }
}
