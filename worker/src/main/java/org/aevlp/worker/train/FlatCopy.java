package org.aevlp.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.nio.FloatBuffer;

/** Copies between flat float buffers and the arrays of a {@link ParameterLayout}. */
final class FlatCopy {

  private static final NDIndex ALL = new NDIndex("...");

  private FlatCopy() {}

  /** Reads every array of the layout into one buffer. */
  static float[] from(ParameterLayout layout) {
    float[] buffer = new float[layout.length()];
    for (ParameterLayout.Entry entry : layout.entries()) {
      float[] values = entry.parameter().getArray().toFloatArray();
      System.arraycopy(values, 0, buffer, (int) entry.offset(), values.length);
    }
    return buffer;
  }

  /** Writes a buffer into every array of the layout. */
  static void into(ParameterLayout layout, float[] buffer, NDManager stepManager) {
    if (buffer.length != layout.totalFloats()) {
      throw new IllegalArgumentException("buffer: expected " + layout.totalFloats() + " floats, got " + buffer.length);
    }
    for (ParameterLayout.Entry entry : layout.entries()) {
      into(entry.parameter().getArray(), buffer, entry, stepManager);
    }
  }

  /**
   * Overwrites {@code target} with the entry's slice of {@code buffer}. The slice is first copied
   * into a new array and then assigned by index: on the PyTorch engine {@code NDArray.set(Buffer)}
   * would make the tensor point at memory that is freed later.
   */
  static void into(NDArray target, float[] buffer, ParameterLayout.Entry entry, NDManager stepManager) {
    NDArray source = stepManager.create(
        FloatBuffer.wrap(buffer, (int) entry.offset(), (int) entry.size()), entry.shape());
    target.set(ALL, source);
  }
}
