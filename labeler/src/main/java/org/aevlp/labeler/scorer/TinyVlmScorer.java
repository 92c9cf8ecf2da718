package org.aevlp.labeler.scorer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.aevlp.models.GradMode;
import org.aevlp.labeler.vlm.PretrainedVlm;
import org.aevlp.models.vlm.TinyVlm;

/**
 * The {@code tiny-vlm} scorer (DESIGN.md §6): the project's own contrastively pretrained tiny VLM
 * used zero-shot. Views go through the image tower, prompts through the caption tokenizer and the
 * text tower, both in inference mode (batch norm uses its running statistics); rows come back
 * L2-normalised, 64-d.
 *
 * <p>Thread-safe: calls are serialised on one lock (the towers are tiny, so a call is short, and
 * callers batch their views anyway); every call's arrays live in a sub-manager closed before it
 * returns. The scorer owns the {@link PretrainedVlm} it wraps and closes it.
 */
public final class TinyVlmScorer implements Scorer {

  /** The scorer's name in specs. */
  public static final String NAME = "tiny-vlm";

  private final AutoCloseable owner;
  private final TinyVlm model;
  private final NDManager manager;
  private final int inputSize;
  private final Object lock = new Object();
  private boolean closed;

  /** A scorer over {@code vlm}, taking ownership of it. */
  public TinyVlmScorer(PretrainedVlm vlm) {
    this(vlm.model(), vlm.inputSize(), vlm);
  }

  /**
   * A scorer over the towers of {@code model} taking {@code inputSize} views; closing it closes
   * {@code owner}, which holds the model's parameters.
   */
  public TinyVlmScorer(TinyVlm model, int inputSize, AutoCloseable owner) {
    this.owner = owner;
    this.model = model;
    this.inputSize = inputSize;
    this.manager = NDManager.newBaseManager();
  }

  /** A scorer over the model cached in {@code cacheDir} (see {@link PretrainedVlm#load}). */
  public static TinyVlmScorer load(Path cacheDir) throws IOException {
    return new TinyVlmScorer(PretrainedVlm.load(cacheDir));
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

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if a view does not hold 3×inputSize×inputSize floats
   */
  @Override
  public float[][] embedImages(List<float[]> views) {
    int plane = 3 * inputSize * inputSize;
    if (views.isEmpty()) {
      return new float[0][];
    }
    float[] batch = new float[views.size() * plane];
    for (int i = 0; i < views.size(); i++) {
      float[] view = views.get(i);
      if (view == null || view.length != plane) {
        throw new IllegalArgumentException(
            "views[" + i + "]: must hold 3×" + inputSize + "×" + inputSize + " = " + plane
                + " floats (CHW), got " + (view == null ? "null" : view.length));
      }
      System.arraycopy(view, 0, batch, i * plane, plane);
    }
    synchronized (lock) {
      GradMode.offOnThisThread();
      requireOpen();
      try (NDManager call = manager.newSubManager()) {
        NDArray images = call.create(batch, new Shape(views.size(), 3, inputSize, inputSize));
        return rows(model.embedImages(images, false), views.size());
      }
    }
  }

  @Override
  public float[][] embedTexts(List<String> prompts) {
    if (prompts.isEmpty()) {
      return new float[0][];
    }
    for (int i = 0; i < prompts.size(); i++) {
      if (prompts.get(i) == null) {
        throw new IllegalArgumentException("prompts[" + i + "]: must not be null");
      }
    }
    synchronized (lock) {
      GradMode.offOnThisThread();
      requireOpen();
      try (NDManager call = manager.newSubManager()) {
        return rows(model.embedCaptions(prompts, call, false), prompts.size());
      }
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (!closed) {
        closed = true;
        manager.close();
        closeOwner();
      }
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("tiny-vlm scorer is closed");
    }
  }

  private static float[][] rows(NDArray embeddings, int count) {
    float[] flat = embeddings.toFloatArray();
    int dim = TinyVlm.EMBEDDING_DIM;
    float[][] rows = new float[count][dim];
    for (int i = 0; i < count; i++) {
      System.arraycopy(flat, i * dim, rows[i], 0, dim);
    }
    return rows;
  }

  private void closeOwner() {
    try {
      owner.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the tiny VLM failed", e);
    }
  }
}
