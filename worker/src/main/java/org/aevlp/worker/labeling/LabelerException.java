package org.aevlp.worker.labeling;

/** The labeler refused a request for a reason a retry does not fix (bad arguments, unknown dataset). */
public final class LabelerException extends Exception {

  private static final long serialVersionUID = 1L;

  public LabelerException(String message, Throwable cause) {
    super(message, cause);
  }

  public LabelerException(String message) {
    super(message);
  }
}
