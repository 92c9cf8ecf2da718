package org.aevlp.worker.data;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.aevlp.common.data.LabelMatrix;
import org.aevlp.common.image.SkippedSample;

/**
 * Samples of a split decoded and ready for a network: images as a row-major N×3×S×S float array
 * (ImageNet-normalised) and the rows of the label matrices, for the samples whose image could be
 * read. Unreadable ones are listed in {@link #skipped()} and left out of everything else.
 *
 * @param indices split indices of the kept samples, in request order
 */
public record LoadedSamples(int[] indices, int imageSize, float[] images, LabelMatrix observed, LabelMatrix clean,
    List<SkippedSample> skipped) {

  public int size() {
    return indices.length;
  }

  public int numClasses() {
    return clean.cols();
  }

  /** Shape of one image: (3, S, S). */
  public Shape sampleShape() {
    return new Shape(3, imageSize, imageSize);
  }

  /** Observed (single-positive) labels as an N×C float matrix. */
  public float[] observedFloats() {
    return toFloats(observed);
  }

  /** Clean (complete) labels as an N×C float matrix. */
  public float[] cleanFloats() {
    return toFloats(clean);
  }

  private static float[] toFloats(LabelMatrix matrix) {
    float[] values = new float[matrix.rows() * matrix.cols()];
    for (int row = 0; row < matrix.rows(); row++) {
      matrix.copyRowTo(row, values, row * matrix.cols());
    }
    return values;
  }
}
