package org.aevlp.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Constants on the gradient path as 0-d arrays that live as long as the step's arrays.
 *
 * <p>DJL's {@code NDArray.mul(Number)} (likewise {@code div}, {@code maximum}, ...) wraps the number
 * in a 0-d array whose memory is a Java direct buffer, and closes that array as soon as the
 * operation returns. When the other operand requires a gradient, libtorch keeps the 0-d tensor for
 * the backward pass, but nothing keeps its buffer alive any more: once the garbage collector has
 * freed it, the backward pass reads freed memory. That was the NaN of embedded AEVLP runs: finite
 * logits and loss, NaN gradients in every layer, more often the more often the collector ran (and
 * so with a labeler's garbage in the same JVM). Every constant that multiplies, divides or is
 * compared with an array on the gradient path (the losses, the VLM pretraining) is therefore made
 * here, on that array's manager, and closed with it after the backward pass.
 */
public final class ScalarArrays {

  private ScalarArrays() {}

  /**
   * {@code value} as a 0-d array of {@code like}'s type on {@code like}'s manager. The type matters:
   * PyTorch promotes a 0-d float32 array combined with a 0-d float64 one to float64, so a double
   * constant would silently turn a float32 loss into float64.
   */
  public static NDArray of(NDArray like, double value) {
    return like.getDataType() == DataType.FLOAT64
        ? like.getManager().create(value)
        : like.getManager().create((float) value);
  }
}
