package org.aevlp.labeler.scorer;

import java.util.List;

/**
 * Where a scorer's prompt embeddings come from: a text encoder that embeds any prompt, or a table
 * precomputed for a fixed list of prompts. Implementations are thread-safe.
 */
interface TextEmbeddingSource extends AutoCloseable {

  /** Length D of every embedding. */
  int dimension();

  /** One unit-norm row per prompt, in order. */
  float[][] embed(List<String> prompts);

  @Override
  void close();
}
