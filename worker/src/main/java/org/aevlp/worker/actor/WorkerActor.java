package org.aevlp.worker.actor;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.cluster.TensorKeys;
import org.aevlp.common.cluster.WorkerProtocol;
import org.aevlp.common.cluster.WorkerProtocol.Applied;
import org.aevlp.common.cluster.WorkerProtocol.ApplyUpdate;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.LoadState;
import org.aevlp.common.cluster.WorkerProtocol.MicroBatchDone;
import org.aevlp.common.cluster.WorkerProtocol.Predict;
import org.aevlp.common.cluster.WorkerProtocol.Predictions;
import org.aevlp.common.cluster.WorkerProtocol.Prepare;
import org.aevlp.common.cluster.WorkerProtocol.Prepared;
import org.aevlp.common.cluster.WorkerProtocol.PublishState;
import org.aevlp.common.cluster.WorkerProtocol.Release;
import org.aevlp.common.cluster.WorkerProtocol.Reply;
import org.aevlp.common.cluster.WorkerProtocol.RunMicroBatch;
import org.aevlp.common.cluster.WorkerProtocol.StateLoaded;
import org.aevlp.common.cluster.WorkerProtocol.StatePart;
import org.aevlp.common.cluster.WorkerProtocol.StatePublished;
import org.aevlp.common.cluster.WorkerProtocol.StepTimings;
import org.aevlp.common.cluster.WorkerProtocol.WorkerFailed;
import org.aevlp.common.tensor.FloatChunks;
import org.aevlp.worker.data.LoadedSamples;
import org.aevlp.worker.labeling.LabelerDirectory;
import org.aevlp.worker.labeling.LabelerDiscovery;
import org.aevlp.worker.metrics.WorkerMetrics;
import org.aevlp.worker.train.Checkpoint;
import org.aevlp.worker.train.GradientResult;
import org.aevlp.worker.train.MicroBatch;
import org.aevlp.worker.train.ReplicaTrainer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * A training worker (DESIGN §2, §3): registers with the Receptionist under {@link
 * WorkerProtocol#WORKER_SERVICE}, holds one replica per experiment and runs the runner's commands
 * on it. Without labeler addresses in its settings it runs a {@link LabelerDiscovery} child and
 * asks the labelers that joined the cluster for pseudo-labels.
 *
 * <p>Spawn it on {@link #DJL_DISPATCHER} ({@link #dispatcher()}): a single thread per JVM, because
 * DJL allows one gradient collector per JVM, so workers sharing a JVM take turns. Data preparation
 * (decoding, augmentation, pseudo-labels) runs on the session's prefetcher; the actor receives the
 * prepared batch as a message, so it never waits for data on the DJL thread.
 *
 * <p>A command that fails is answered with {@link WorkerFailed} (the replica may be out of step;
 * the runner takes the worker out of training and re-runs its micro-batch elsewhere).
 */
public final class WorkerActor extends AbstractBehavior<Command> {

  /** Configuration path of the one-thread dispatcher DJL work runs on. */
  public static final String DJL_DISPATCHER = "aevlp.djl-dispatcher";

  /** How long a worker waits for a tensor the runner said was published. */
  static final Duration TENSOR_WAIT = Duration.ofSeconds(60);

  private final WorkerSettings settings;
  private final ReplicaFactory replicas;
  private final ExperimentSession.LabelerFactory labelers;
  private final WorkerMetrics metrics;
  /** The labelers known from the cluster; stays empty when the settings name labeler addresses. */
  private final LabelerDirectory discoveredLabelers;
  private ExperimentSession session;
  /** The Prepare waiting for a labeler to join; a newer Prepare or a Release replaces it. */
  private Prepare awaitingLabeler;

  /** A prepared micro-batch (or the failure to prepare it) for a pending command. */
  private record BatchLoaded(RunMicroBatch command, PreparedBatch batch, Throwable error, long requestedNanos)
      implements WorkerProtocol.WorkerInternal {}

  /** The wait for a labeler to join the cluster before {@code command} is over (found one or not). */
  private record LabelerWaitOver(Prepare command) implements WorkerProtocol.WorkerInternal {}

  private WorkerActor(ActorContext<Command> context, WorkerSettings settings, ReplicaFactory replicas,
      ExperimentSession.LabelerFactory labelers) {
    super(context);
    this.settings = settings;
    this.replicas = replicas;
    this.labelers = labelers;
    this.metrics = new WorkerMetrics(settings.meterRegistry(), workerName(context));
    this.discoveredLabelers = new LabelerDirectory();
    if (settings.labelerAddresses().isEmpty()) {
      context.spawn(LabelerDiscovery.create(discoveredLabelers), "labeler-discovery");
    }
  }

  /**
   * {@code host:port/actor} when the node has a remote address, else the actor name: unique across
   * worker JVMs, which all name their actor {@code worker-1}.
   */
  static String workerName(ActorContext<Command> context) {
    var address = context.getSystem().address();
    String actor = context.getSelf().path().name();
    return address.getHost().isPresent() && address.getPort().isPresent()
        ? address.getHost().get() + ":" + address.getPort().get() + "/" + actor : actor;
  }

  /** A worker that builds replicas with {@code replicas} and asks labelers over gRPC. */
  public static Behavior<Command> create(WorkerSettings settings, ReplicaFactory replicas) {
    return create(settings, replicas, ExperimentSession.LabelerFactory.GRPC);
  }

  static Behavior<Command> create(WorkerSettings settings, ReplicaFactory replicas,
      ExperimentSession.LabelerFactory labelers) {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(WorkerProtocol.WORKER_SERVICE, context.getSelf()));
      return new WorkerActor(context, settings, replicas, labelers);
    });
  }

  /** The props to spawn workers with: the shared one-thread DJL dispatcher. */
  public static DispatcherSelector dispatcher() {
    return DispatcherSelector.fromConfig(DJL_DISPATCHER);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Prepare.class, this::onPrepare)
        .onMessage(LabelerWaitOver.class, this::onLabelerWaitOver)
        .onMessage(RunMicroBatch.class, this::onRunMicroBatch)
        .onMessage(BatchLoaded.class, this::onBatchLoaded)
        .onMessage(ApplyUpdate.class, this::onApplyUpdate)
        .onMessage(PublishState.class, this::onPublishState)
        .onMessage(LoadState.class, this::onLoadState)
        .onMessage(Predict.class, this::onPredict)
        .onMessage(Release.class, this::onRelease)
        .onSignal(PostStop.class, signal -> {
          closeSession();
          return this;
        })
        .build();
  }

  private ActorRef<Command> self() {
    return getContext().getSelf();
  }

  /**
   * Prepares at once, or first waits (off the DJL thread) up to {@link
   * WorkerSettings#labelerDiscoveryWait()} for a labeler to join when the spec needs pseudo-labels
   * and none is known yet, e.g. because the labeler node is still starting.
   */
  private Behavior<Command> onPrepare(Prepare command) {
    closeSession();
    awaitingLabeler = null;
    if (settings.labelerAddresses().isEmpty() && discoveredLabelers.get().isEmpty()
        && ExperimentSession.needsPseudoLabels(command.specJson())) {
      getContext().getLog().info("experiment {} needs pseudo-labels: waiting up to {} s for a labeler to join",
          command.experimentId(), settings.labelerDiscoveryWait().toSeconds());
      getContext().pipeToSelf(discoveredLabelers.whenAnyKnown()
              .orTimeout(settings.labelerDiscoveryWait().toMillis(), TimeUnit.MILLISECONDS),
          (known, timedOut) -> new LabelerWaitOver(command));
      awaitingLabeler = command;
      return this;
    }
    return prepare(command);
  }

  private Behavior<Command> onLabelerWaitOver(LabelerWaitOver wait) {
    if (wait.command() != awaitingLabeler) {
      return this;
    }
    awaitingLabeler = null;
    return prepare(wait.command());
  }

  private Behavior<Command> prepare(Prepare command) {
    closeSession();
    try {
      session = ExperimentSession.open(command.experimentId(), command.specJson(), command.tensorEndpoint(), settings,
          replicas, discoveredLabelers, labelers, metrics);
      ReplicaTrainer trainer = session.trainer();
      getContext().getLog().info("prepared experiment {}: {} parameters, {} BatchNorm statistics, tensors {}",
          command.experimentId(), trainer.trainableLayout().totalFloats(),
          trainer.runningStatisticsLayout().totalFloats(), session.transport().isLocal() ? "in-JVM" : "over gRPC");
      command.replyTo().tell(new Prepared(command.experimentId(), self(), trainer.trainableLayout().totalFloats(),
          trainer.runningStatisticsLayout().totalFloats()));
    } catch (Exception e) {
      fail(command.experimentId(), command.replyTo(), "prepare", e);
    }
    return this;
  }

  private Behavior<Command> onRunMicroBatch(RunMicroBatch command) {
    if (!hasSession(command.experimentId(), command.replyTo())) {
      return this;
    }
    long requested = System.nanoTime();
    var batch = session.prefetcher().take(command.epoch(), command.indices());
    session.prefetcher().hint(command.epoch(), command.nextIndices());
    getContext().pipeToSelf(batch, (prepared, error) -> new BatchLoaded(command, prepared, error, requested));
    return this;
  }

  private Behavior<Command> onBatchLoaded(BatchLoaded loaded) {
    RunMicroBatch command = loaded.command();
    if (!hasSession(command.experimentId(), command.replyTo())) {
      return this;
    }
    if (loaded.error() != null) {
      fail(command.experimentId(), command.replyTo(), "micro-batch " + command.epoch() + "/" + command.step() + "/"
          + command.slot() + " data", unwrap(loaded.error()));
      return this;
    }
    try {
      double dataSeconds = (System.nanoTime() - loaded.requestedNanos()) / 1e9;
      PreparedBatch prepared = loaded.batch();
      ReplicaTrainer trainer = session.trainer();
      long computeStart = System.nanoTime();
      float[] gradient;
      double lossSum = 0;
      if (prepared.batch() == null) {
        gradient = new float[trainer.trainableLayout().length()];
      } else {
        GradientResult result = trainer.computeGradients(prepared.batch(),
            session.objective().lossForEpoch(command.epoch()));
        gradient = result.gradient();
        lossSum = result.lossSum();
      }
      if (command.applyLocally() && prepared.batch() != null) {
        trainer.applyGradients(gradient, command.headOnly());
      }
      String key = "";
      double exchangeSeconds = 0;
      double computeSeconds = (System.nanoTime() - computeStart) / 1e9;
      if (!command.applyLocally()) {
        long exchangeStart = System.nanoTime();
        key = TensorKeys.microBatchGradient(command.experimentId(), command.epoch(),
            command.step(), command.slot(), command.attempt());
        session.transport().publish(key, gradient);
        exchangeSeconds = (System.nanoTime() - exchangeStart) / 1e9;
      }
      // recorded before the reply, so whoever sees the reply sees the meters include it
      metrics.microBatchTrained(prepared.usedIndices().size(),
          command.indices().size() - prepared.usedIndices().size(), dataSeconds, computeSeconds);
      command.replyTo().tell(new MicroBatchDone(command.experimentId(), self(), command.epoch(), command.step(),
          command.slot(), command.attempt(), prepared.usedIndices(), lossSum, key, prepared.pseudoLabels(),
          new StepTimings(dataSeconds, computeSeconds, exchangeSeconds)));
    } catch (Exception e) {
      fail(command.experimentId(), command.replyTo(), "micro-batch " + command.epoch() + "/" + command.step(), e);
    }
    return this;
  }

  private Behavior<Command> onApplyUpdate(ApplyUpdate command) {
    if (!hasSession(command.experimentId(), command.replyTo())) {
      return this;
    }
    try {
      long start = System.nanoTime();
      float[] gradient = session.transport().fetch(command.tensorKey(), TENSOR_WAIT);
      long fetched = System.nanoTime();
      session.trainer().applyGradients(gradient, command.headOnly());
      command.replyTo().tell(new Applied(command.experimentId(), self(), command.step(), (fetched - start) / 1e9,
          (System.nanoTime() - fetched) / 1e9));
    } catch (Exception e) {
      fail(command.experimentId(), command.replyTo(), "apply step " + command.step(), e);
    }
    return this;
  }

  private Behavior<Command> onPublishState(PublishState command) {
    if (!hasSession(command.experimentId(), command.replyTo())) {
      return this;
    }
    try {
      ReplicaTrainer trainer = session.trainer();
      float[] values = switch (command.part()) {
        case WHOLE_REPLICA -> FloatChunks.fromBytes(trainer.checkpoint().toBytes());
        case RUNNING_STATISTICS -> trainer.runningStatistics();
        case TRAINABLE_PARAMETERS -> trainer.parameters();
      };
      if (command.part() == StatePart.WHOLE_REPLICA) {
        getContext().getLog().info("experiment {}: publishing the whole replica for a checkpoint ({} floats)",
            command.experimentId(), values.length);
      }
      session.transport().publish(command.tensorKey(), values);
      command.replyTo().tell(new StatePublished(command.experimentId(), self(), command.part(), command.tensorKey()));
    } catch (Exception e) {
      fail(command.experimentId(), command.replyTo(), "publish " + command.part(), e);
    }
    return this;
  }

  private Behavior<Command> onLoadState(LoadState command) {
    if (!hasSession(command.experimentId(), command.replyTo())) {
      return this;
    }
    try {
      ReplicaTrainer trainer = session.trainer();
      float[] values = session.transport().fetch(command.tensorKey(), TENSOR_WAIT);
      switch (command.part()) {
        case WHOLE_REPLICA -> trainer.restore(Checkpoint.fromBytes(FloatChunks.toBytes(values),
            trainer.trainableLayout().length(), trainer.runningStatisticsLayout().length(),
            trainer.trainableLayout().entries().size()));
        case RUNNING_STATISTICS -> trainer.setRunningStatistics(values);
        case TRAINABLE_PARAMETERS -> trainer.setParameters(values);
      }
      command.replyTo().tell(new StateLoaded(command.experimentId(), self(), command.part()));
    } catch (Exception e) {
      fail(command.experimentId(), command.replyTo(), "load " + command.part(), e);
    }
    return this;
  }

  private Behavior<Command> onPredict(Predict command) {
    if (!hasSession(command.experimentId(), command.replyTo())) {
      return this;
    }
    try {
      int[] indices = command.indices().stream().mapToInt(Integer::intValue).toArray();
      LoadedSamples samples = session.loader(command.split()).load(indices);
      int classes = session.numClasses();
      float[] scores = samples.size() == 0 ? new float[0] : session.trainer().predict(
          new MicroBatch(samples.size(), samples.sampleShape(), samples.images(), classes, List.of()));
      List<Integer> kept = Arrays.stream(samples.indices()).boxed().toList();
      Set<Integer> predicted = new HashSet<>(kept);
      List<Integer> skipped = command.indices().stream().filter(i -> !predicted.contains(i)).toList();
      command.replyTo().tell(new Predictions(command.experimentId(), self(), command.split(), kept, scores, classes,
          skipped));
    } catch (Exception e) {
      fail(command.experimentId(), command.replyTo(), "predict", e);
    }
    return this;
  }

  private Behavior<Command> onRelease(Release command) {
    if (awaitingLabeler != null && awaitingLabeler.experimentId().equals(command.experimentId())) {
      awaitingLabeler = null;
    }
    if (session != null && session.experimentId().equals(command.experimentId())) {
      getContext().getLog().info("released experiment {}", command.experimentId());
      closeSession();
    }
    return this;
  }

  private boolean hasSession(String experimentId, ActorRef<Reply> replyTo) {
    if (session != null && session.experimentId().equals(experimentId)) {
      return true;
    }
    replyTo.tell(new WorkerFailed(experimentId, self(), "this worker has not prepared experiment " + experimentId));
    return false;
  }

  private void fail(String experimentId, ActorRef<Reply> replyTo, String what, Throwable error) {
    String reason = what + " failed on " + self().path().name() + ": " + error;
    getContext().getLog().warn(reason, error);
    replyTo.tell(new WorkerFailed(experimentId, self(), reason));
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e instanceof CancellationException ? new IllegalStateException("data loading was cancelled", e) : e;
  }

  private void closeSession() {
    if (session != null) {
      session.close();
      session = null;
    }
  }
}
