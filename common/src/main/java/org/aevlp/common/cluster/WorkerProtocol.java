package org.aevlp.common.cluster;

import java.util.Arrays;
import java.util.List;
import org.aevlp.common.eval.PseudoLabelCounts;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The control protocol between an experiment runner (coordinator) and training workers (DESIGN
 * §3). Messages carry control only; gradients, parameters and replica states travel on the tensor
 * channel under the keys the messages name ({@link TensorKeys}).
 *
 * <p>The runner never refers to a tensor key before it exists: a worker answers only after it has
 * published, and the runner publishes before it asks workers to load. So no worker ever blocks its
 * (shared) DJL thread waiting for a buffer that another worker of the same JVM has yet to produce.
 *
 * <p>Every message between nodes is serialized by {@link ClusterMessageSerializer} into the
 * protobuf messages of {@code cluster.proto}.
 */
public final class WorkerProtocol {

  /** Workers register under this key with the Receptionist; runners subscribe to it. */
  public static final ServiceKey<Command> WORKER_SERVICE = ServiceKey.create(Command.class, "aevlp-worker");

  private WorkerProtocol() {}

  /** Which part of a replica's state a transfer concerns. */
  public enum StatePart {
    /** Parameters, BatchNorm statistics and optimizer state: a checkpoint. */
    WHOLE_REPLICA,
    /** BatchNorm running statistics (averaged before evaluation). */
    RUNNING_STATISTICS,
    /** Trainable parameters (averaged by local SGD). */
    TRAINABLE_PARAMETERS
  }

  /** Evaluation split of a prediction request. */
  public enum EvalSplit {
    /** Held out of the official training split. */
    VALIDATION,
    /** The official validation split. */
    TEST
  }

  /** Where a worker pushes and pulls tensors: the coordinator's TensorChannel and its store id. */
  public record TensorEndpoint(String host, int port, String storeId) {
    public TensorEndpoint {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("tensor endpoint port: must be in [1, 65535], got " + port);
      }
    }

    /** "host:port". */
    public String address() {
      return host + ":" + port;
    }
  }

  /** Seconds a worker spent on one micro-batch, by activity. */
  public record StepTimings(double dataSeconds, double computeSeconds, double exchangeSeconds) {
    public static final StepTimings ZERO = new StepTimings(0, 0, 0);
  }

  /** Messages a worker accepts. */
  public sealed interface Command extends ClusterMessage
      permits Prepare, RunMicroBatch, ApplyUpdate, PublishState, LoadState, Predict, Release, WorkerInternal {}

  /**
   * Messages a worker actor sends itself (completions of its background work). They never leave
   * the JVM, so they are not serialized.
   */
  public non-sealed interface WorkerInternal extends Command {}

  /** Messages a worker sends back to the runner. */
  public sealed interface Reply extends ClusterMessage
      permits Prepared, MicroBatchDone, Applied, StatePublished, StateLoaded, Predictions, WorkerFailed {
    String experimentId();

    ActorRef<Command> worker();
  }

  /** Load the experiment's data and build a fresh, seeded replica; answered by {@link Prepared}. */
  public record Prepare(String experimentId, String specJson, TensorEndpoint tensorEndpoint, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * Forward, loss and backward on one micro-batch; answered by {@link MicroBatchDone} once the
   * gradient is on the tensor channel (or applied, with {@code applyLocally}).
   *
   * @param slot position of the micro-batch in the global batch; the reducer sums in slot order
   * @param attempt &gt; 0 when re-run after the worker that had it failed
   * @param nextIndices what this worker will probably run next step (prefetch hint; may be empty)
   * @param applyLocally local SGD: apply this gradient at once instead of publishing it
   * @param headOnly update the head only (backbone frozen this epoch)
   */
  public record RunMicroBatch(
      String experimentId,
      int epoch,
      int step,
      int slot,
      List<Integer> indices,
      int attempt,
      List<Integer> nextIndices,
      boolean applyLocally,
      boolean headOnly,
      ActorRef<Reply> replyTo)
      implements Command {
    public RunMicroBatch {
      indices = List.copyOf(indices);
      nextIndices = List.copyOf(nextIndices);
    }
  }

  /** Apply the reduced gradient published under {@code tensorKey}; answered by {@link Applied}. */
  public record ApplyUpdate(
      String experimentId, int epoch, int step, String tensorKey, boolean headOnly, ActorRef<Reply> replyTo)
      implements Command {}

  /** Publish a part of the replica state under {@code tensorKey}; answered by {@link StatePublished}. */
  public record PublishState(String experimentId, StatePart part, String tensorKey, ActorRef<Reply> replyTo)
      implements Command {}

  /** Overwrite a part of the replica state from {@code tensorKey}; answered by {@link StateLoaded}. */
  public record LoadState(String experimentId, StatePart part, String tensorKey, ActorRef<Reply> replyTo)
      implements Command {}

  /** Sigmoid scores for samples of an evaluation split; answered by {@link Predictions}. */
  public record Predict(String experimentId, EvalSplit split, List<Integer> indices, ActorRef<Reply> replyTo)
      implements Command {
    public Predict {
      indices = List.copyOf(indices);
    }
  }

  /** The experiment ended: free its replica and data. Not answered. */
  public record Release(String experimentId) implements Command {}

  /** The replica is built; sizes let the runner check all replicas agree. */
  public record Prepared(String experimentId, ActorRef<Command> worker, long parameterFloats, long statisticFloats)
      implements Reply {}

  /**
   * A micro-batch is done.
   *
   * @param usedIndices the samples that contributed (unreadable images left out)
   * @param lossSum sum of the per-sample losses
   * @param gradientKey where the gradient is (empty with {@code applyLocally})
   * @param pseudoLabels pseudo-label counts of the micro-batch (zero without pseudo-labels)
   */
  public record MicroBatchDone(
      String experimentId,
      ActorRef<Command> worker,
      int epoch,
      int step,
      int slot,
      int attempt,
      List<Integer> usedIndices,
      double lossSum,
      String gradientKey,
      PseudoLabelCounts pseudoLabels,
      StepTimings timings)
      implements Reply {
    public MicroBatchDone {
      usedIndices = List.copyOf(usedIndices);
    }

    public int samples() {
      return usedIndices.size();
    }
  }

  /** A reduced gradient was applied. */
  public record Applied(
      String experimentId, ActorRef<Command> worker, int step, double exchangeSeconds, double applySeconds)
      implements Reply {}

  /** A state part is on the tensor channel under {@code tensorKey}. */
  public record StatePublished(String experimentId, ActorRef<Command> worker, StatePart part, String tensorKey)
      implements Reply {}

  /** A state part was loaded. */
  public record StateLoaded(String experimentId, ActorRef<Command> worker, StatePart part) implements Reply {}

  /**
   * Scores of a prediction request.
   *
   * @param indices samples predicted, in request order (unreadable images left out)
   * @param scores sigmoid scores, indices.size() × numClasses, row-major
   * @param skipped requested samples whose image could not be read
   */
  public record Predictions(
      String experimentId,
      ActorRef<Command> worker,
      EvalSplit split,
      List<Integer> indices,
      float[] scores,
      int numClasses,
      List<Integer> skipped)
      implements Reply {
    public Predictions {
      indices = List.copyOf(indices);
      skipped = List.copyOf(skipped);
      if (scores.length != indices.size() * numClasses) {
        throw new IllegalArgumentException(
            "scores: expected " + indices.size() + " x " + numClasses + " values, got " + scores.length);
      }
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Predictions p
          && p.experimentId.equals(experimentId)
          && p.worker.equals(worker)
          && p.split == split
          && p.indices.equals(indices)
          && Arrays.equals(p.scores, scores)
          && p.numClasses == numClasses
          && p.skipped.equals(skipped);
    }

    @Override
    public int hashCode() {
      return (experimentId.hashCode() * 31 + indices.hashCode()) * 31 + Arrays.hashCode(scores);
    }

    @Override
    public String toString() {
      return "Predictions[" + experimentId + ", " + split + ", " + indices.size() + " samples from " + worker + "]";
    }
  }

  /** A command failed on the worker; its replica may be out of step with the others. */
  public record WorkerFailed(String experimentId, ActorRef<Command> worker, String reason) implements Reply {}
}
