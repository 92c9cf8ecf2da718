package org.aevlp.common.cluster;

import java.util.Locale;
import org.aevlp.common.cluster.WorkerProtocol.StatePart;

/**
 * Names of buffers on the tensor channel. Every key starts with the experiment id, so a finished
 * experiment's leftovers can be dropped by prefix, and carries enough of the step to be unique.
 */
public final class TensorKeys {

  private TensorKeys() {}

  /** Prefix of every key of an experiment. */
  public static String experiment(String experimentId) {
    return experimentId + "/";
  }

  /** Prefix of the micro-batch gradients of one step. */
  public static String stepGradients(String experimentId, int epoch, int step) {
    return experiment(experimentId) + "grad/" + epoch + "/" + step + "/";
  }

  /** Gradient of one attempt at one micro-batch. */
  public static String microBatchGradient(String experimentId, int epoch, int step, int slot, int attempt) {
    return stepGradients(experimentId, epoch, step) + slot + "/" + attempt;
  }

  /** The reduced gradient of a step. */
  public static String reducedGradient(String experimentId, int epoch, int step) {
    return experiment(experimentId) + "reduced/" + epoch + "/" + step;
  }

  /** A state part published by one replica, {@code serial} unique within the experiment. */
  public static String replicaState(String experimentId, StatePart part, long serial) {
    return experiment(experimentId) + "state/" + part.name().toLowerCase(Locale.ROOT) + "/" + serial;
  }

  /** A state part prepared by the runner (an average, or a checkpoint read from disk). */
  public static String runnerState(String experimentId, StatePart part, long serial) {
    return experiment(experimentId) + "runner/" + part.name().toLowerCase(Locale.ROOT) + "/" + serial;
  }
}
