package org.aevlp.worker.actor;

import java.util.List;
import org.aevlp.common.eval.PseudoLabelCounts;
import org.aevlp.worker.train.MicroBatch;

/**
 * A training micro-batch ready for the replica: decoded, augmented and labelled.
 *
 * @param usedIndices the samples whose image could be read, in request order
 * @param batch the network input and label matrices of those samples (null when none was readable)
 * @param pseudoLabels pseudo-label counts of the batch (zero without pseudo-labels)
 * @param seconds time spent preparing it
 */
record PreparedBatch(List<Integer> usedIndices, MicroBatch batch, PseudoLabelCounts pseudoLabels, double seconds) {}
