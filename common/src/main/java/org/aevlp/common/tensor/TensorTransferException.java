package org.aevlp.common.tensor;

/** A buffer could not be published or fetched; the message names the key and the cause. */
public final class TensorTransferException extends Exception {

  private static final long serialVersionUID = 1L;

  public TensorTransferException(String message) {
    super(message);
  }

  public TensorTransferException(String message, Throwable cause) {
    super(message, cause);
  }
}
