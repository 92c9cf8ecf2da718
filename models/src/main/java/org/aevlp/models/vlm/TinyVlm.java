package org.aevlp.models.vlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.aevlp.models.ScalarArrays;
import org.aevlp.models.SeededInitialization;

/**
 * The built-in tiny vision-language model (DESIGN.md §6): an {@link ImageTower} and a {@link
 * TextTower} that map images and captions into one 64-d space, plus the {@link Vocabulary} the
 * text tower reads. Pretraining (symmetric InfoNCE with a learnable temperature) belongs to the
 * labeler; this class holds the blocks and computes the embeddings.
 *
 * <p>Embeddings are L2-normalised, {@code e = x / max(‖x‖₂, 1e-12)}, so the dot product of an image
 * and a caption embedding is their cosine similarity.
 */
public final class TinyVlm {

  /** Dimension of the shared embedding space. */
  public static final int EMBEDDING_DIM = 64;

  private static final float NORM_FLOOR = 1e-12f;

  private final Block imageTower;
  private final TextTower textTower;
  private final Vocabulary vocabulary;

  private TinyVlm(Block imageTower, TextTower textTower, Vocabulary vocabulary) {
    this.imageTower = imageTower;
    this.textTower = textTower;
    this.vocabulary = vocabulary;
  }

  /**
   * A freshly initialised tiny VLM whose parameters live on {@code manager} (and its device).
   *
   * @param vocabulary the text tower's vocabulary
   * @param imageSize side of the square input images (the towers work at any size ≥ 16)
   * @param seed engine random seed for the initial weights
   */
  public static TinyVlm create(Vocabulary vocabulary, int imageSize, NDManager manager, int seed) {
    if (imageSize < 16) {
      throw new IllegalArgumentException("imageSize: must be at least 16, got " + imageSize);
    }
    Block image = ImageTower.create();
    TextTower text = new TextTower(vocabulary.size());
    SeededInitialization.run(
        seed,
        () -> {
          image.initialize(manager, DataType.FLOAT32, new Shape(1, 3, imageSize, imageSize));
          text.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        });
    return new TinyVlm(image, text, vocabulary);
  }

  /** The image tower (N×3×H×W → N×64, unnormalised); the backbone of {@code arch: tiny-vlm}. */
  public Block imageTower() {
    return imageTower;
  }

  /** The text tower (N×L token ids → N×64, unnormalised). */
  public TextTower textTower() {
    return textTower;
  }

  /** The text tower's vocabulary. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /**
   * L2-normalised image embeddings, N×64, attached to {@code images}' manager.
   *
   * @param images N×3×H×W float32 images on the model's device
   * @param training true to run batch norm in training mode (pretraining)
   */
  public NDArray embedImages(NDArray images, boolean training) {
    NDArray raw = forward(imageTower, images, training);
    return normalise(raw);
  }

  /**
   * L2-normalised caption embeddings, N×64; the token ids and results are allocated on {@code
   * manager} (give it a sub-manager on the model's device).
   */
  public NDArray embedCaptions(List<String> captions, NDManager manager, boolean training) {
    NDArray ids = vocabulary.encodeBatch(captions, manager);
    return normalise(forward(textTower, ids, training));
  }

  private static NDArray forward(Block block, NDArray input, boolean training) {
    ParameterStore store = new ParameterStore(input.getManager(), false);
    return block.forward(store, new NDList(input), training).singletonOrThrow();
  }

  private static NDArray normalise(NDArray x) {
    NDArray norm = x.norm(new int[] {1}, true).maximum(ScalarArrays.of(x, NORM_FLOOR));
    return x.div(norm);
  }
}
