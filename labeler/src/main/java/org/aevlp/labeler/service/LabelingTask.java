package org.aevlp.labeler.service;

import java.util.List;
import java.util.Objects;
import org.aevlp.labeler.damp.DampParams;

/**
 * The work of one request, validated: pseudo-label {@code items} of dataset {@code datasetId} in
 * {@code epoch} with DAMP {@code params}.
 *
 * @param datasetId a dataset the labeler serves (its classes, text embeddings and images)
 * @param epoch 1-based epoch; with {@code seed} selects the view flips
 * @param seed the run's seed: flip draws and, with refinement, the GCN's weights
 * @param params DAMP parameters, {@code numClasses} the dataset's
 * @param useRefinement refine the class text embeddings with the label-relation GCN
 * @param items the images, at least one
 */
public record LabelingTask(
    String datasetId, int epoch, long seed, DampParams params, boolean useRefinement, List<LabelingItem> items) {

  public LabelingTask {
    Objects.requireNonNull(datasetId, "datasetId");
    Objects.requireNonNull(params, "params");
    items = List.copyOf(items);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a labeling task needs at least one item");
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
  }

  /** Images to label, the task's size for batching. */
  public int images() {
    return items.size();
  }
}
