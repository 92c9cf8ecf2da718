package org.aevlp.labeler.vlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.aevlp.models.ScalarArrays;

/**
 * CLIP's symmetric InfoNCE loss over a batch of B matching image–caption pairs (DESIGN.md §6):
 *
 * <pre>
 *   L = ½ · ( −(1/B) Σ_i log softmax_j(s·S)[i, i]  −  (1/B) Σ_j log softmax_i(s·S)[j, j] )
 * </pre>
 *
 * with {@code S[i, j] = ⟨image_i, text_j⟩} the cosine similarities of L2-normalised embeddings
 * and {@code s = exp(log_scale)} the learnable logit scale (the inverse temperature). The first term
 * classifies each image among the batch's captions, the second each caption among the images.
 */
public final class InfoNceLoss {

  private InfoNceLoss() {}

  /**
   * The loss of a batch.
   *
   * @param similarity B×B cosine similarities, row = image, column = caption, pair i on the diagonal
   * @param logScale scalar (shape () or (1)) natural log of the logit scale; gradients flow into it
   * @return a scalar, on {@code similarity}'s manager
   */
  public static NDArray evaluate(NDArray similarity, NDArray logScale) {
    long batch = similarity.getShape().get(0);
    if (similarity.getShape().dimension() != 2 || similarity.getShape().get(1) != batch) {
      throw new IllegalArgumentException(
          "similarity: must be a square B×B matrix, got " + similarity.getShape());
    }
    NDManager manager = similarity.getManager();
    NDArray logits = similarity.mul(logScale.exp());
    NDArray diagonal = manager.eye((int) batch);
    NDArray imageToText = logits.logSoftmax(1).mul(diagonal).sum();
    NDArray textToImage = logits.logSoftmax(0).mul(diagonal).sum();
    NDArray sum = imageToText.add(textToImage);
    return sum.div(ScalarArrays.of(sum, -2.0 * batch));
  }
}
