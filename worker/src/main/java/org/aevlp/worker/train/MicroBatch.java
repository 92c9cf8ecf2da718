package org.aevlp.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * One worker's share of a training step, ready in memory: images as a row-major N×C×H×W float
 * array (already normalised) and the label matrices the loss expects, each N×classes, in the
 * loss's label order (e.g. [observed, pseudo] for the GPR loss, [clean] for the full-label loss).
 */
public record MicroBatch(int size, Shape imageShape, float[] images, int numClasses, List<float[]> labels) {

  public MicroBatch {
    long perImage = imageShape.size();
    if (images.length != size * perImage) {
      throw new IllegalArgumentException(
          "images: expected " + size + " x " + imageShape + " = " + size * perImage + " floats, got " + images.length);
    }
    for (int i = 0; i < labels.size(); i++) {
      if (labels.get(i).length != size * numClasses) {
        throw new IllegalArgumentException(
            "labels[" + i + "]: expected " + size + " x " + numClasses + " floats, got " + labels.get(i).length);
      }
    }
    labels = List.copyOf(labels);
  }

  /** The images as an N×C×H×W array owned by {@code manager}. */
  NDArray imagesOn(NDManager manager) {
    return manager.create(FloatBuffer.wrap(images), batchImageShape());
  }

  /** The label matrices as N×classes arrays owned by {@code manager}. */
  NDList labelsOn(NDManager manager) {
    NDList list = new NDList(labels.size());
    for (float[] matrix : labels) {
      list.add(manager.create(FloatBuffer.wrap(matrix), new Shape(size, numClasses)));
    }
    return list;
  }

  Shape batchImageShape() {
    return batchOf(size, imageShape);
  }

  /** {@code n} samples of {@code sampleShape}: (n, ...sampleShape). */
  static Shape batchOf(int n, Shape sampleShape) {
    long[] dims = new long[sampleShape.dimension() + 1];
    dims[0] = n;
    System.arraycopy(sampleShape.getShape(), 0, dims, 1, sampleShape.dimension());
    return new Shape(dims);
  }
}
