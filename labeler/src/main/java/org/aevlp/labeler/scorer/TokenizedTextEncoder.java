package org.aevlp.labeler.scorer;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Prompt embeddings from a TorchScript text encoder (N×L int64 token ids in, N×D out) fed by a
 * HuggingFace {@code tokenizer.json} read from a local file (never a Hub name, so never a
 * download).
 *
 * <p>Every prompt becomes exactly L = context length ids: the tokenizer's own special tokens are
 * added (CLIP's start and end of text), sequences longer than L are truncated before the end token
 * is appended (so it survives, as with {@code clip.tokenize(truncate=True)}), shorter ones are
 * padded at the end with the padding id of {@code tokenizer.json}, or 0 if it defines none (0 is
 * what {@code clip.tokenize} pads with; CLIP reads the features at the end token, the largest id,
 * so the padding id does not change its output).
 *
 * <p>Thread-safe: the tokenizer is only read after construction, and the encoder is a
 * {@link TorchScriptEncoder}.
 */
final class TokenizedTextEncoder implements TextEmbeddingSource {

  private final HuggingFaceTokenizer tokenizer;
  private final TorchScriptEncoder encoder;
  private final int contextLength;
  private final int dimension;

  private TokenizedTextEncoder(HuggingFaceTokenizer tokenizer, TorchScriptEncoder encoder, int contextLength) {
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.contextLength = contextLength;
    // one short prompt learns D and runs the module once before any concurrent use
    this.dimension = embed(List.of("a"))[0].length;
  }

  /**
   * Loads the tokenizer and the encoder.
   *
   * @throws IOException if either file cannot be read or loaded, or the encoder rejects a
   *     1×{@code contextLength} batch of ids
   */
  static TokenizedTextEncoder load(
      Path encoderFile, Path tokenizerFile, int contextLength, Device device, int maxBatch) throws IOException {
    HuggingFaceTokenizer tokenizer = loadTokenizer(tokenizerFile, contextLength);
    TorchScriptEncoder encoder = null;
    try {
      encoder = TorchScriptEncoder.load(encoderFile, device, maxBatch);
      return new TokenizedTextEncoder(tokenizer, encoder, contextLength);
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      if (encoder != null) {
        encoder.close();
      }
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException(
          encoderFile + ": does not embed a 1×" + contextLength + " int64 batch of token ids (context length "
              + contextLength + "): " + e.getMessage(), e);
    }
  }

  private static HuggingFaceTokenizer loadTokenizer(Path file, int contextLength) throws IOException {
    Map<String, String> options = Map.of(
        "addSpecialTokens", "true",
        "truncation", "true",
        "padding", "max_length",
        "maxLength", Integer.toString(contextLength),
        // DJL caps maxLength at modelMaxLength (512 unless told)
        "modelMaxLength", Integer.toString(contextLength));
    try {
      return HuggingFaceTokenizer.newInstance(file, options);
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a HuggingFace tokenizer.json: " + e.getMessage(), e);
    }
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** The L token ids of each prompt, as the text encoder receives them. */
  long[][] tokenIds(List<String> prompts) {
    long[][] ids = new long[prompts.size()][];
    for (int i = 0; i < ids.length; i++) {
      Encoding encoding = tokenizer.encode(prompts.get(i));
      ids[i] = encoding.getIds();
      if (ids[i].length != contextLength) {
        throw new IllegalStateException(
            "tokenizer gave " + ids[i].length + " ids for prompt \"" + prompts.get(i)
                + "\"; the context length is " + contextLength);
      }
    }
    return ids;
  }

  @Override
  public float[][] embed(List<String> prompts) {
    long[][] ids = tokenIds(prompts);
    return encoder.embed(ids.length, (scope, from, to) -> {
      long[] flat = new long[(to - from) * contextLength];
      for (int i = from; i < to; i++) {
        System.arraycopy(ids[i], 0, flat, (i - from) * contextLength, contextLength);
      }
      return scope.create(flat, new Shape(to - from, contextLength));
    });
  }

  /** Arrays alive under the text encoder's model (see {@link TorchScriptEncoder#liveArrays}). */
  int liveArrays() {
    return encoder.liveArrays();
  }

  @Override
  public void close() {
    encoder.close();
    tokenizer.close();
  }
}
