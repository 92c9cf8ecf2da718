package org.aevlp.worker.actor;

import java.io.IOException;
import org.aevlp.proto.v1.ExperimentSpec;

/**
 * Builds the replica of an experiment. Every worker must build bit-identical replicas from the same
 * spec (same seed, same weights files), since all replicas start from the same state without
 * copying it.
 */
@FunctionalInterface
public interface ReplicaFactory {

  /**
   * @param spec the validated spec
   * @param numClasses classes of the dataset (the head's width)
   */
  Replica build(ExperimentSpec spec, int numClasses) throws IOException;
}
