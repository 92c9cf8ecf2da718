package org.aevlp.models.vlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import org.aevlp.models.layers.TorchLikeLayers;

/**
 * The built-in tiny VLM's text encoder (DESIGN.md §6), a bag of words: input N×L int64 token ids
 * (padded with {@link Vocabulary#PAD_ID}), output N×64 (not normalised).
 *
 * <p>{@code t = W · (Σ_l m_l·E[id_l] / max(Σ_l m_l, 1)) + b}, with {@code E} the V×64 embedding
 * table, {@code m_l = [id_l ≠ PAD]}: the mean of the caption's token embeddings, then a 64→64
 * linear layer. A caption with no tokens embeds to the linear layer's bias.
 *
 * <p>Parameter order: {@code embedding} (V×64, initialised N(0, 1) like PyTorch's {@code
 * nn.Embedding}), then the linear layer's weight and bias.
 */
public final class TextTower extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int vocabularySize;
  private final Parameter embedding;
  private final Block projection;

  /** A new, uninitialised text tower for a vocabulary of {@code vocabularySize} tokens. */
  public TextTower(int vocabularySize) {
    super(VERSION);
    if (vocabularySize < 2) {
      throw new IllegalArgumentException(
          "vocabularySize: needs at least the two special tokens, got " + vocabularySize);
    }
    this.vocabularySize = vocabularySize;
    this.embedding =
        addParameter(
            Parameter.builder()
                .setName("embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabularySize, TinyVlm.EMBEDDING_DIM))
                .optInitializer(new NormalInitializer(1f))
                .build());
    this.projection =
        addChildBlock(
            "projection", TorchLikeLayers.linear(TinyVlm.EMBEDDING_DIM, TinyVlm.EMBEDDING_DIM));
  }

  /** Number of rows of the embedding table. */
  public int vocabularySize() {
    return vocabularySize;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    NDArray table = parameterStore.getValue(embedding, ids.getDevice(), training);
    NDArray vectors = Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    NDArray mask = ids.neq(Vocabulary.PAD_ID).toType(DataType.FLOAT32, false).expandDims(-1);
    NDArray sum = vectors.mul(mask).sum(new int[] {1});
    NDArray count = mask.sum(new int[] {1}).maximum(1f);
    NDArray mean = sum.div(count);
    return projection.forward(parameterStore, new NDList(mean), training, params);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), TinyVlm.EMBEDDING_DIM)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    projection.initialize(
        manager, dataType, new Shape(inputShapes[0].get(0), TinyVlm.EMBEDDING_DIM));
  }
}
