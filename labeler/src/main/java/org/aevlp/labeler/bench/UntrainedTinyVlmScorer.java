package org.aevlp.labeler.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.models.vlm.TinyVlm;
import org.aevlp.models.vlm.Vocabulary;

/**
 * The built-in tiny VLM's real towers with seeded random weights, never trained: a scorer with the
 * shapes, costs and thread behaviour of the pretrained tiny VLM, for benchmarks and tests that
 * measure serving rather than label quality. Its pseudo-labels carry no information about the
 * images; never use it to train.
 *
 * <p>Thread-safe: every call works in its own NDManager sub-manager, closed before it returns.
 */
public final class UntrainedTinyVlmScorer implements Scorer {

  /** The name it reports, distinct from the real scorers' names. */
  public static final String NAME = "tiny-vlm-untrained";

  private final NDManager manager;
  private final TinyVlm vlm;
  private final int inputSize;

  private UntrainedTinyVlmScorer(NDManager manager, TinyVlm vlm, int inputSize) {
    this.manager = manager;
    this.vlm = vlm;
    this.inputSize = inputSize;
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
      return new UntrainedTinyVlmScorer(manager, vlm, inputSize);
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
    return inputSize;
  }

  @Override
  public int embeddingDimension() {
    return TinyVlm.EMBEDDING_DIM;
  }

  @Override
  public float[][] embedImages(List<float[]> views) {
    if (views.isEmpty()) {
      return new float[0][];
    }
    int perView = 3 * inputSize * inputSize;
    float[] flat = new float[views.size() * perView];
    for (int i = 0; i < views.size(); i++) {
      float[] view = views.get(i);
      if (view.length != perView) {
        throw new IllegalArgumentException(
            "view " + i + " has " + view.length + " floats, expected 3x" + inputSize + "x" + inputSize + " = " + perView);
      }
      System.arraycopy(view, 0, flat, i * perView, perView);
    }
    try (NDManager call = manager.newSubManager()) {
      NDArray images = call.create(flat, new Shape(views.size(), 3, inputSize, inputSize));
      return rows(vlm.embedImages(images, false), views.size());
    }
  }

  @Override
  public float[][] embedTexts(List<String> prompts) {
    if (prompts.isEmpty()) {
      return new float[0][];
    }
    try (NDManager call = manager.newSubManager()) {
      return rows(vlm.embedCaptions(prompts, call, false), prompts.size());
    }
  }

  private static float[][] rows(NDArray embeddings, int count) {
    float[] flat = embeddings.toFloatArray();
    int dim = flat.length / count;
    float[][] rows = new float[count][dim];
    for (int i = 0; i < count; i++) {
      System.arraycopy(flat, i * dim, rows[i], 0, dim);
    }
    return rows;
  }

  @Override
  public void close() {
    manager.close();
  }
}
