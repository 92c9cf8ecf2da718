package org.aevlp.labeler.text;

import java.util.Objects;
import java.util.Random;

/**
 * The frozen label-relation GCN that refines class text embeddings (DESIGN.md §4, text
 * embeddings):
 *
 * <pre>
 *   H1 = LeakyReLU_0.2(A·(T·W1)),  H2 = LeakyReLU_0.2(A·(H1·W2)),  G = A·(H2·W3)
 *   T' = rows of (T + G) scaled to unit L2 norm
 * </pre>
 *
 * with T the C×D text embeddings, A the {@link RelationAdjacency}, W1 D×1024, W2 1024×1024,
 * W3 1024×D, no bias and no activation after the last layer.
 *
 * <p>The weights are never trained: the reference draws them uniform in ±1/sqrt(out) and freezes
 * them, without seeding its RNG, so its text embeddings differ from run to run (QUIRKS D11).
 * {@link #seeded} makes them a function of a seed: one {@link Random} (whose algorithm Java
 * specifies, so the draws are the same on every JVM) seeded with {@code seed} fills W1, then W2,
 * then W3, each row-major (input feature by input feature, output features inner), every weight
 * {@code bound·(2u − 1)} with {@code u = nextDouble()} and {@code bound = 1/sqrt(out)}. The
 * reference holds the weights in float16; here everything is double.
 */
public final class LabelGcn {

  /** Width of the two hidden layers. */
  public static final int HIDDEN = 1024;

  /** Slope of LeakyReLU for negative inputs. */
  public static final double NEGATIVE_SLOPE = 0.2;

  private final RelationAdjacency adjacency;
  private final double[][][] layers;

  /** A GCN with explicit weights [in][out] for its three layers; dimensions must chain. */
  LabelGcn(RelationAdjacency adjacency, double[][] first, double[][] second, double[][] third) {
    this.adjacency = Objects.requireNonNull(adjacency, "adjacency");
    this.layers = new double[][][] {copy(first), copy(second), copy(third)};
    int dim = first.length;
    for (int layer = 0; layer < layers.length; layer++) {
      double[][] weights = layers[layer];
      if (weights.length != dim || weights.length == 0) {
        throw new IllegalArgumentException(
            "layer " + (layer + 1) + " weights must have " + dim + " input rows, got " + weights.length);
      }
      int out = weights[0].length;
      for (double[] row : weights) {
        if (row.length != out) {
          throw new IllegalArgumentException("layer " + (layer + 1) + " weights must be rectangular");
        }
      }
      dim = out;
    }
    if (dim != first.length) {
      throw new IllegalArgumentException(
          "layer 3 must map back to the embedding dimension " + first.length + ", got " + dim);
    }
  }

  /**
   * The GCN D→1024→1024→D with weights drawn from {@code seed} (draw order in the class comment).
   *
   * @param embeddingDim D, the text embedding width, {@code >= 1}
   */
  public static LabelGcn seeded(RelationAdjacency adjacency, int embeddingDim, long seed) {
    if (embeddingDim < 1) {
      throw new IllegalArgumentException("embeddingDim must be >= 1, got " + embeddingDim);
    }
    Random random = new Random(seed);
    double[][] first = uniform(random, embeddingDim, HIDDEN);
    double[][] second = uniform(random, HIDDEN, HIDDEN);
    double[][] third = uniform(random, HIDDEN, embeddingDim);
    return new LabelGcn(adjacency, first, second, third);
  }

  /** D, the width of the embeddings this GCN refines. */
  public int embeddingDim() {
    return layers[0].length;
  }

  /**
   * Refines the class text embeddings.
   *
   * @param textEmbeddings [C][D], one row per class in the adjacency's class order
   * @return [C][D] the rows of {@code T + GCN(T)}, each of unit L2 norm
   */
  public double[][] refine(double[][] textEmbeddings) {
    validate(textEmbeddings);
    double[][] hidden = textEmbeddings;
    for (int layer = 0; layer < layers.length; layer++) {
      hidden = propagate(multiply(hidden, layers[layer]));
      if (layer < layers.length - 1) {
        leakyRelu(hidden);
      }
    }
    double[][] refined = new double[textEmbeddings.length][];
    for (int c = 0; c < refined.length; c++) {
      double[] row = new double[embeddingDim()];
      double squares = 0;
      for (int d = 0; d < row.length; d++) {
        row[d] = textEmbeddings[c][d] + hidden[c][d];
        squares += row[d] * row[d];
      }
      if (squares == 0) {
        throw new IllegalStateException("refined embedding of class " + c + " is zero; it has no direction");
      }
      double norm = Math.sqrt(squares);
      for (int d = 0; d < row.length; d++) {
        row[d] /= norm;
      }
      refined[c] = row;
    }
    return refined;
  }

  /** A copy of one layer's weights [in][out], layer 0..2. */
  double[][] weights(int layer) {
    return copy(layers[layer]);
  }

  private void validate(double[][] textEmbeddings) {
    if (textEmbeddings.length != adjacency.size()) {
      throw new IllegalArgumentException(
          "textEmbeddings must have one row per class of the adjacency (" + adjacency.size()
              + "), got " + textEmbeddings.length);
    }
    for (int c = 0; c < textEmbeddings.length; c++) {
      if (textEmbeddings[c].length != embeddingDim()) {
        throw new IllegalArgumentException(
            "textEmbeddings[" + c + "] must have " + embeddingDim() + " entries, got "
                + textEmbeddings[c].length);
      }
      for (double value : textEmbeddings[c]) {
        if (!Double.isFinite(value)) {
          throw new IllegalArgumentException("textEmbeddings[" + c + "] has a non-finite entry");
        }
      }
    }
  }

  /** A·X. */
  private double[][] propagate(double[][] x) {
    int classes = adjacency.size();
    double[][] out = new double[classes][x[0].length];
    for (int i = 0; i < classes; i++) {
      for (int k = 0; k < classes; k++) {
        double a = adjacency.weight(i, k);
        if (a != 0) {
          addScaled(out[i], a, x[k]);
        }
      }
    }
    return out;
  }

  /** X·W. */
  private static double[][] multiply(double[][] x, double[][] w) {
    double[][] out = new double[x.length][w[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int k = 0; k < w.length; k++) {
        addScaled(out[i], x[i][k], w[k]);
      }
    }
    return out;
  }

  private static void addScaled(double[] target, double scale, double[] row) {
    for (int j = 0; j < target.length; j++) {
      target[j] += scale * row[j];
    }
  }

  private static void leakyRelu(double[][] x) {
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        if (row[j] < 0) {
          row[j] *= NEGATIVE_SLOPE;
        }
      }
    }
  }

  private static double[][] uniform(Random random, int in, int out) {
    double bound = 1 / Math.sqrt(out);
    double[][] weights = new double[in][out];
    for (double[] row : weights) {
      for (int j = 0; j < out; j++) {
        row[j] = bound * (2 * random.nextDouble() - 1);
      }
    }
    return weights;
  }

  private static double[][] copy(double[][] matrix) {
    double[][] copy = new double[matrix.length][];
    for (int i = 0; i < matrix.length; i++) {
      copy[i] = matrix[i].clone();
    }
    return copy;
  }
}
