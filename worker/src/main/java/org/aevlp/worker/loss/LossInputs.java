package org.aevlp.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * The arrays a loss reads, checked once: logits from the predictions, and from the labels the
 * observed (or clean) label matrix and optionally the pseudo-label matrix, all B×C.
 *
 * @param logits the model's logits, B×C, float32 or float64
 * @param observed the label matrix (0/1), same shape
 * @param pseudo the pseudo-label matrix (-1/0/1), same shape, or {@code null} when none was given
 */
record LossInputs(NDArray logits, NDArray observed, NDArray pseudo) {

  /**
   * Checks and unpacks a loss's arguments.
   *
   * @param lossName the loss's name, for error messages
   * @param labels {@code [labels]} or {@code [labels, pseudoLabels]}
   * @param predictions {@code [logits]}
   * @param pseudoRequired whether the pseudo-label matrix must be present
   * @return the unpacked arrays
   */
  static LossInputs of(String lossName, NDList labels, NDList predictions, boolean pseudoRequired) {
    if (predictions == null || predictions.isEmpty()) {
      throw new IllegalArgumentException(lossName + ": predictions must hold [logits B×C], got none");
    }
    NDArray logits = predictions.get(0);
    if (logits.getShape().dimension() != 2) {
      throw new IllegalArgumentException(
          lossName + ": logits must be B×C (2-D), got shape " + logits.getShape());
    }
    DataType type = logits.getDataType();
    if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
      throw new IllegalArgumentException(lossName + ": logits must be float32 or float64, got " + type);
    }
    if (labels == null || labels.isEmpty()) {
      throw new IllegalArgumentException(lossName + ": labels must hold [labels B×C, ...], got none");
    }
    NDArray observed = requireSameShape(lossName, "labels[0]", labels.get(0), logits);
    NDArray pseudo = null;
    if (labels.size() >= 2) {
      pseudo = requireSameShape(lossName, "labels[1] (pseudo-labels)", labels.get(1), logits);
    } else if (pseudoRequired) {
      throw new IllegalArgumentException(
          lossName + ": labels must hold [observed, pseudo-labels] when pseudo-labels are on (use_pl), got "
              + labels.size() + " array");
    }
    return new LossInputs(logits, observed, pseudo);
  }

  /** Turns a boolean condition into a 0/1 array of the logits' type, to weight element losses. */
  NDArray mask(NDArray condition) {
    return condition.toType(logits.getDataType(), false);
  }

  private static NDArray requireSameShape(String lossName, String field, NDArray array, NDArray logits) {
    if (!array.getShape().equals(logits.getShape())) {
      throw new IllegalArgumentException(
          lossName + ": " + field + " must have the logits' shape " + logits.getShape() + ", got "
              + array.getShape());
    }
    return array;
  }
}
