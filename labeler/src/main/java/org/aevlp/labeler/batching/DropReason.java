package org.aevlp.labeler.batching;

/** Why a request submitted to a {@link DynamicBatcher} was not computed. */
public enum DropReason {
  /** The queue was full when it arrived. */
  REJECTED,
  /** Its deadline passed while it was queued. */
  EXPIRED,
  /** Its caller cancelled it while it was queued. */
  CANCELLED,
  /** The batcher closed while it was queued. */
  CLOSED
}
