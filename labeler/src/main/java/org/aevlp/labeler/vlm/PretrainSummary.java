package org.aevlp.labeler.vlm;

import java.util.List;

/**
 * What a pretraining run did.
 *
 * @param epochLosses mean InfoNCE loss of each epoch, in order
 * @param steps optimizer steps taken
 * @param seconds wall-clock time of the training loop (views, forward, backward, updates)
 * @param logitScale the learned logit scale {@code s} (temperature {@code 1/s}) at the end
 */
public record PretrainSummary(List<Double> epochLosses, long steps, double seconds, double logitScale) {

  public PretrainSummary {
    epochLosses = List.copyOf(epochLosses);
  }
}
