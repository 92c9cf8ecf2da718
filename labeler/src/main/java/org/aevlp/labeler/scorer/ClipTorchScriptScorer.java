package org.aevlp.labeler.scorer;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code clip-torchscript} scorer (DESIGN.md §6): a CLIP model exported once to TorchScript
 * (docs/CLIP.md shows how) and run by DJL's PyTorch engine from local files only.
 *
 * <p>Files in {@link ClipTorchScriptConfig#directory()}:
 *
 * <ul>
 *   <li>{@value #IMAGE_ENCODER_FILE}: N×3×S×S float32 → N×D, S = {@code inputSize};
 *   <li>class text embeddings, either computed: {@value #TEXT_ENCODER_FILE} (N×L int64 token ids →
 *       N×D, L = {@code contextLength}) with {@value #TOKENIZER_FILE} (a HuggingFace tokenizer);
 *       or precomputed: {@value #TEXT_EMBEDDINGS_FILE} (C×D float32/float64) with {@value
 *       #PROMPTS_FILE} (line i is the prompt of row i; only those prompts can be embedded). If
 *       both are present the text encoder is used, since it embeds any prompt.
 * </ul>
 *
 * <p>Every embedding is scaled to unit L2 norm here, {@code e / ||e||_2}, whether or not the export
 * already did it, so the dot products DAMP takes are cosine similarities.
 *
 * <p>Input normalisation: views arrive normalised with the ImageNet mean (0.485, 0.456, 0.406) and
 * standard deviation (0.229, 0.224, 0.225), because the reference implementation feeds CLIP views
 * normalised that way. OpenAI's CLIP was trained with slightly different statistics, mean
 * (0.4815, 0.4578, 0.4082) and std (0.2686, 0.2613, 0.2758); we keep the reference's choice so that
 * the pseudo-labels match it, and do not re-normalise.
 *
 * <p>Thread safety: {@link #embedImages} and {@link #embedTexts} may be called from several threads
 * at once. The TorchScript modules are shared; each call makes its own DJL predictor (predictors
 * are not thread-safe) and its own NDManager scopes (see {@link TorchScriptEncoder}).
 */
public final class ClipTorchScriptScorer implements Scorer {

  /** The spec's {@code scorer} value. */
  public static final String NAME = "clip-torchscript";

  public static final String IMAGE_ENCODER_FILE = "image_encoder.pt";
  public static final String TEXT_ENCODER_FILE = "text_encoder.pt";
  public static final String TOKENIZER_FILE = "tokenizer.json";
  public static final String TEXT_EMBEDDINGS_FILE = "text_embeddings.npy";
  public static final String PROMPTS_FILE = "prompts.txt";

  private static final Logger LOG = LoggerFactory.getLogger(ClipTorchScriptScorer.class);

  private final ClipTorchScriptConfig config;
  private final TorchScriptEncoder imageEncoder;
  private final TextEmbeddingSource texts;
  private final int dimension;

  private ClipTorchScriptScorer(
      ClipTorchScriptConfig config, TorchScriptEncoder imageEncoder, TextEmbeddingSource texts, int dimension) {
    this.config = config;
    this.imageEncoder = imageEncoder;
    this.texts = texts;
    this.dimension = dimension;
  }

  /**
   * Checks the directory, then loads the encoders and runs each once to learn D.
   *
   * @throws NoSuchFileException naming every missing file if the directory is incomplete
   * @throws IOException if a file cannot be loaded, an encoder rejects the configured input size
   *     or context length, or the image and text embeddings differ in length
   */
  public static ClipTorchScriptScorer load(ClipTorchScriptConfig config) throws IOException {
    Objects.requireNonNull(config, "config");
    Path dir = config.directory();
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "CLIP export directory does not exist");
    }
    boolean computedTexts = Files.exists(dir.resolve(TEXT_ENCODER_FILE));
    requireFiles(dir, computedTexts);
    Device device = device(config.device());

    TorchScriptEncoder imageEncoder =
        TorchScriptEncoder.load(dir.resolve(IMAGE_ENCODER_FILE), device, config.maxBatch());
    TextEmbeddingSource texts = null;
    try {
      int dimension = probeImageEncoder(imageEncoder, config.inputSize());
      if (computedTexts) {
        texts = TokenizedTextEncoder.load(
            dir.resolve(TEXT_ENCODER_FILE), dir.resolve(TOKENIZER_FILE), config.contextLength(), device,
            config.maxBatch());
      } else {
        texts = PrecomputedTextEmbeddings.read(dir.resolve(TEXT_EMBEDDINGS_FILE), dir.resolve(PROMPTS_FILE));
      }
      if (texts.dimension() != dimension) {
        throw new IOException(
            dir + ": " + IMAGE_ENCODER_FILE + " gives " + dimension + "-d embeddings but "
                + (computedTexts ? TEXT_ENCODER_FILE : TEXT_EMBEDDINGS_FILE) + " gives " + texts.dimension()
                + "-d ones; both must come from the same CLIP model");
      }
      LOG.info("clip-torchscript: {}, {}-d embeddings, {}×{} views, text from {}", dir, dimension,
          config.inputSize(), config.inputSize(), computedTexts ? TEXT_ENCODER_FILE : TEXT_EMBEDDINGS_FILE);
      return new ClipTorchScriptScorer(config, imageEncoder, texts, dimension);
    } catch (IOException | RuntimeException e) {
      imageEncoder.close();
      if (texts != null) {
        texts.close();
      }
      throw e;
    }
  }

  private static void requireFiles(Path dir, boolean computedTexts) throws NoSuchFileException {
    List<String> missing = new ArrayList<>();
    if (!Files.isRegularFile(dir.resolve(IMAGE_ENCODER_FILE))) {
      missing.add(IMAGE_ENCODER_FILE + " (the TorchScript image encoder)");
    }
    if (computedTexts) {
      if (!Files.isRegularFile(dir.resolve(TOKENIZER_FILE))) {
        missing.add(TOKENIZER_FILE + " (the tokenizer of " + TEXT_ENCODER_FILE + ")");
      }
    } else if (Files.isRegularFile(dir.resolve(TEXT_EMBEDDINGS_FILE))) {
      if (!Files.isRegularFile(dir.resolve(PROMPTS_FILE))) {
        missing.add(PROMPTS_FILE + " (the prompts of " + TEXT_EMBEDDINGS_FILE + ", one a line)");
      }
    } else {
      missing.add(TEXT_ENCODER_FILE + " with " + TOKENIZER_FILE + ", or " + TEXT_EMBEDDINGS_FILE + " with "
          + PROMPTS_FILE + " (the class text embeddings)");
    }
    if (!missing.isEmpty()) {
      throw new NoSuchFileException(
          dir.toString(), null, "CLIP export directory lacks " + String.join("; ", missing));
    }
  }

  private static Device device(String name) {
    try {
      return Device.fromName(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ClipTorchScriptConfig.device: not a DJL device name: " + name, e);
    }
  }

  /** One all-zero view: learns D, checks the input size and runs the module once before concurrent use. */
  private static int probeImageEncoder(TorchScriptEncoder encoder, int inputSize) throws IOException {
    try {
      return encoder.embed(1, (scope, from, to) -> scope.zeros(new Shape(1, 3, inputSize, inputSize)))[0].length;
    } catch (RuntimeException e) {
      throw new IOException(
          encoder.file() + ": does not embed a 1×3×" + inputSize + "×" + inputSize + " view (inputSize "
              + inputSize + "): " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int inputSize() {
    return config.inputSize();
  }

  @Override
  public int embeddingDimension() {
    return dimension;
  }

  /** {@inheritDoc} Views go through the encoder {@code maxBatch} at a time. */
  @Override
  public float[][] embedImages(List<float[]> views) {
    int size = config.inputSize();
    int viewLength = 3 * size * size;
    for (int i = 0; i < views.size(); i++) {
      float[] view = Objects.requireNonNull(views.get(i), "view");
      if (view.length != viewLength) {
        throw new IllegalArgumentException(
            "view " + i + " has " + view.length + " floats; a 3×" + size + "×" + size + " view has " + viewLength);
      }
    }
    return imageEncoder.embed(views.size(), (scope, from, to) -> {
      float[] batch = new float[(to - from) * viewLength];
      for (int i = from; i < to; i++) {
        System.arraycopy(views.get(i), 0, batch, (i - from) * viewLength, viewLength);
      }
      return scope.create(batch, new Shape(to - from, 3, size, size));
    });
  }

  @Override
  public float[][] embedTexts(List<String> prompts) {
    return texts.embed(prompts);
  }

  /** Package-private for tests: the token ids the text encoder receives, if there is one. */
  long[][] tokenIds(List<String> prompts) {
    if (!(texts instanceof TokenizedTextEncoder encoder)) {
      throw new IllegalStateException("this scorer uses precomputed text embeddings; there are no token ids");
    }
    return encoder.tokenIds(prompts);
  }

  /** Package-private for tests: arrays alive under the image and text encoders' models. */
  int liveArrays() {
    return imageEncoder.liveArrays() + (texts instanceof TokenizedTextEncoder encoder ? encoder.liveArrays() : 0);
  }

  @Override
  public void close() {
    imageEncoder.close();
    texts.close();
  }
}
