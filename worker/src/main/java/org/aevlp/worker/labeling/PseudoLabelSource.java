package org.aevlp.worker.labeling;

import java.util.List;

/** Where a worker gets DAMP pseudo-labels for its micro-batches (DESIGN §4). */
public interface PseudoLabelSource extends AutoCloseable {

  /**
   * Pseudo-labels of training samples, one row per sample in request order, entries in {-1, 0, 1}.
   * Blocks until the labeler answers: an unreachable labeler is retried, never skipped.
   *
   * @param request what to label
   * @throws LabelerException when the labeler rejects the request (a retry would not help)
   * @throws InterruptedException when the waiting thread is interrupted
   */
  int[][] pseudoLabels(PseudoLabelQuery request) throws LabelerException, InterruptedException;

  @Override
  void close();

  /**
   * A request for pseudo-labels.
   *
   * @param datasetId the dataset as the labeler knows it (e.g. "synthetic")
   * @param epoch 1-based epoch (selects the view flips)
   * @param seed the experiment's seed
   * @param indices training-split indices
   * @param observed observed label rows of those samples, each of length numClasses
   * @param numClasses classes per row
   */
  record PseudoLabelQuery(
      String datasetId, int epoch, long seed, int[] indices, List<float[]> observed, int numClasses,
      org.aevlp.proto.v1.DampParams params) {}
}
