package org.aevlp.coordinator.runner;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.aevlp.common.cluster.TensorKeys;
import org.aevlp.common.cluster.WorkerProtocol;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.EvalSplit;
import org.aevlp.common.cluster.WorkerProtocol.Prepare;
import org.aevlp.common.cluster.WorkerProtocol.Prepared;
import org.aevlp.common.cluster.WorkerProtocol.Release;
import org.aevlp.common.cluster.WorkerProtocol.Reply;
import org.aevlp.common.cluster.WorkerProtocol.StatePart;
import org.aevlp.common.cluster.WorkerProtocol.TensorEndpoint;
import org.aevlp.common.cluster.WorkerProtocol.WorkerFailed;
import org.aevlp.common.data.SpmlDataset;
import org.aevlp.common.eval.MeanAveragePrecision;
import org.aevlp.common.eval.PseudoLabelQuality;
import org.aevlp.common.runs.CheckpointRef;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunDirectory;
import org.aevlp.common.runs.RunResult;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStatus;
import org.aevlp.common.tensor.FloatChunks;
import org.aevlp.common.tensor.TensorStore;
import org.aevlp.coordinator.training.EarlyStopRule;
import org.aevlp.coordinator.training.EpochPlan;
import org.aevlp.proto.v1.ExperimentSpec;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;

/**
 * Runs one experiment over the live workers (DESIGN §3): the epoch plan, one synchronous step at a
 * time (micro-batch per worker, barrier, sample-weighted reduction, the same update on every
 * replica), BatchNorm averaging before evaluation and checkpoints, sharded validation, the best
 * checkpoint, the reference early stop and the final test of the best checkpoint.
 *
 * <p>Membership: workers come from the Receptionist listing. A worker that terminates, leaves,
 * becomes unreachable or reports a failure is out at once; its unfinished micro-batch is re-run on
 * a live worker within the same step. A new worker is prepared in the background and enters at the
 * next step boundary with a copy of a live replica's state. With no live worker the run pauses
 * (status PAUSED with the reason) and fails after {@link RunnerSettings#pauseTimeout()}; if the
 * replicas' state was lost with the last worker, training restarts from the last epoch checkpoint
 * and the lost part of the epoch is redone, so each sample still counts once per epoch.
 *
 * <p>The runner works as a sequence of operations ({@link Operation}): a step, an average, an
 * evaluation, a checkpoint, a state copy. Exactly one runs at a time; {@link #advance()} picks the
 * next one whenever the previous one ends or membership changes.
 */
public final class ExperimentRunner extends AbstractBehavior<ExperimentRunner.Message> {

  /** Messages the runner handles. */
  public sealed interface Message {}

  /** The Receptionist's current set of workers. */
  record WorkersListed(Set<ActorRef<Command>> workers) implements Message {}

  /** A reply from a worker. */
  record FromWorker(Reply reply) implements Message {}

  /** A worker is gone (terminated, or its node unreachable). */
  record WorkerGone(ActorRef<Command> worker, String why) implements Message {}

  /** A cluster node became unreachable. */
  record NodeUnreachable(Address address) implements Message {}

  /** The pause that started with this serial lasted too long. */
  record PauseExpired(long serial) implements Message {}

  /** Time to look whether the running operation waits too long for a worker. */
  enum WatchdogTick implements Message { INSTANCE }

  /**
   * Stop at the next step boundary: the running operation finishes, then the run ends as
   * CANCELLED. Checkpoints already written are kept.
   */
  public record Cancel(String reason) implements Message {}

  /** Where the run is between operations. */
  enum Stage {
    TRAINING, STEP_STATISTICS_AVERAGE, STEP_CHECKPOINT, PARAMETER_AVERAGE, STATISTICS_AVERAGE, VALIDATION, CHECKPOINT,
    FINAL_LOAD, FINAL_TEST
  }

  enum WorkerStatus { PREPARING, PREPARED, READY, BROKEN }

  private final String experimentId;
  private final ExperimentSpec spec;
  private final String specJson;
  private final SpmlDataset dataset;
  private final RunDirectory run;
  private final TensorStore store;
  private final TensorEndpoint endpoint;
  private final RunnerSettings settings;
  private final RunListener listener;
  private final TimerScheduler<Message> timers;
  private final ActorRef<Reply> replies;

  private final Map<ActorRef<Command>, WorkerStatus> workers = new LinkedHashMap<>();
  private long parameterFloats = -1;
  private long statisticFloats = -1;

  private Stage stage = Stage.TRAINING;
  private Operation current;
  private int epoch = 1;
  private int step;
  private EpochPlan plan;
  private EpochTally tally;
  private long globalStep;
  private boolean syncDue;
  private boolean stepCheckpointDue;
  private int epochBatchSize;
  private Optional<MidEpochCheckpoint> midEpochCheckpoint = Optional.empty();
  private boolean diverged;
  private Optional<CheckpointRef> lastCheckpoint = Optional.empty();
  private Optional<CheckpointRef> bestCheckpoint = Optional.empty();
  private EarlyStopRule earlyStop = EarlyStopRule.start();
  private Optional<String> stopReason = Optional.empty();
  private PseudoLabelQuality lastPseudoLabels = new PseudoLabelQuality(0, 0);
  private int epochsTrained;
  private double bestValMap = Double.NaN;
  private final List<EpochSampleCount> sampleCounts = new ArrayList<>();
  private RunStatus status;
  private long pauseSerial;
  private String lastWorkerFailure = "";
  private long serial;
  private Optional<String> cancelReason = Optional.empty();
  private Operation watched;
  private long watchedSinceNanos;
  private final long startMillis;

  private ExperimentRunner(ActorContext<Message> context, TimerScheduler<Message> timers, RunnerInputs inputs) {
    super(context);
    this.timers = timers;
    this.experimentId = inputs.experimentId();
    this.spec = inputs.spec();
    this.specJson = inputs.specJson();
    this.dataset = inputs.dataset();
    this.run = inputs.run();
    this.store = inputs.store();
    this.endpoint = inputs.endpoint();
    this.settings = inputs.settings();
    this.listener = inputs.listener();
    this.replies = context.messageAdapter(Reply.class, FromWorker::new);
    long now = System.currentTimeMillis();
    Optional<ResumePoint> resume = inputs.resume();
    this.status = resume.map(ResumePoint::status).orElse(RunStatus.queued(now));
    this.startMillis = status.startedAtMs() > 0 ? status.startedAtMs() : now;
    if (resume.isPresent()) {
      resumeFrom(resume.get());
    } else {
      startEpoch(1);
    }
  }

  /** Picks up after the resume point's checkpoint, as if it had just been written. */
  private void resumeFrom(ResumePoint point) {
    lastCheckpoint = point.checkpoint();
    bestCheckpoint = point.best();
    globalStep = point.checkpoint().map(CheckpointRef::step).orElse(0L);
    for (EpochRecord record : point.epochs()) {
      earlyStop = earlyStop.observe(record.epoch(), record.valMap());
      if (bestCheckpoint.filter(b -> b.epoch() == record.epoch()).isPresent()) {
        bestValMap = record.valMap();
      }
      lastPseudoLabels = new PseudoLabelQuality(record.plPrecision(), record.plRecall());
      stopReason = spec.getEarlyStop() ? earlyStop.stopReason(record.valMap()) : Optional.empty();
    }
    sampleCounts.addAll(point.sampleCounts());
    epochsTrained = point.epochsDone();
    if (point.midEpoch().isPresent()) {
      MidEpochCheckpoint mid = point.midEpoch().get();
      getContext().getLog().info("experiment {} resumes in epoch {} after step {} from {}", experimentId, mid.epoch(),
          mid.step(), mid.checkpoint().fileName());
      midEpochCheckpoint = point.midEpoch();
      continueFrom(mid);
      return;
    }
    getContext().getLog().info("experiment {} resumes after epoch {} from {}", experimentId, epochsTrained,
        lastCheckpoint.map(CheckpointRef::fileName).orElse("the initial state"));
    if (stopReason.isEmpty() && epochsTrained >= spec.getNumEpochs()) {
      stopReason = Optional.of("completed");
    }
    if (stopReason.isPresent()) {
      epoch = epochsTrained;
      stage = Stage.FINAL_LOAD;
    } else {
      startEpoch(epochsTrained + 1);
    }
  }

  /** Continues an epoch from a mid-epoch checkpoint: its plan, next step and tally so far. */
  private void continueFrom(MidEpochCheckpoint mid) {
    stage = Stage.TRAINING;
    epoch = mid.epoch();
    step = mid.step();
    globalStep = mid.globalStep();
    syncDue = false;
    stepCheckpointDue = false;
    epochBatchSize = mid.batchSize();
    plan = EpochPlan.of(spec.getSeed(), epoch, dataset.train().size(), epochBatchSize);
    tally = new EpochTally(mid.tally());
  }

  /**
   * Everything a runner needs, checked by the caller (spec validated, dataset opened, run directory
   * created).
   */
  public record RunnerInputs(
      String experimentId,
      ExperimentSpec spec,
      String specJson,
      SpmlDataset dataset,
      RunDirectory run,
      TensorStore store,
      TensorEndpoint endpoint,
      RunnerSettings settings,
      RunListener listener,
      Optional<ResumePoint> resume) {}

  /**
   * Rejects specs asking for what this runner does not do yet, naming the field.
   *
   * @throws IllegalArgumentException for {@code scale_lr: true} (the replicas' learning rate is
   *     fixed when they are built)
   */
  public static void requireSupported(ExperimentSpec spec) {
    if (spec.getScaleLr()) {
      throw new IllegalArgumentException("scale_lr: linear learning-rate scaling is not supported yet; set it to false"
          + " and scale lr yourself");
    }
  }

  /** A runner that starts at once: subscribes to workers and trains when one is ready. */
  public static Behavior<Message> create(RunnerInputs inputs) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class,
          listing -> new WorkersListed(listing.getServiceInstances(WorkerProtocol.WORKER_SERVICE)));
      context.getSystem().receptionist().tell(Receptionist.subscribe(WorkerProtocol.WORKER_SERVICE, listings));
      ActorRef<ClusterEvent.UnreachableMember> unreachable = context.messageAdapter(
          ClusterEvent.UnreachableMember.class, event -> new NodeUnreachable(event.member().address()));
      Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(unreachable,
          ClusterEvent.UnreachableMember.class));
      ExperimentRunner runner = new ExperimentRunner(context, timers, inputs);
      timers.startTimerWithFixedDelay("watchdog", WatchdogTick.INSTANCE, watchdogPeriod(inputs.settings()));
      runner.startPause("waiting for a worker to join");
      return runner;
    }));
  }

  @Override
  public Receive<Message> createReceive() {
    return newReceiveBuilder()
        .onMessage(WorkersListed.class, this::onListing)
        .onMessage(FromWorker.class, this::onReply)
        .onMessage(WorkerGone.class, m -> onGone(m.worker(), m.why()))
        .onMessage(NodeUnreachable.class, this::onUnreachable)
        .onMessage(PauseExpired.class, this::onPauseExpired)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(WatchdogTick.class, tick -> onWatchdog())
        .build();
  }

  // ---- membership ----------------------------------------------------------------------------

  private Behavior<Message> onListing(WorkersListed listed) {
    for (ActorRef<Command> worker : listed.workers()) {
      if (!workers.containsKey(worker)) {
        workers.put(worker, WorkerStatus.PREPARING);
        getContext().watchWith(worker, new WorkerGone(worker, "terminated"));
        getContext().getLog().info("worker {} joined; preparing it", worker.path());
        worker.tell(new Prepare(experimentId, specJson, endpoint, replies));
      }
    }
    for (ActorRef<Command> known : List.copyOf(workers.keySet())) {
      if (!listed.workers().contains(known)) {
        lose(known, "left the cluster");
      }
    }
    return advance();
  }

  private Behavior<Message> onUnreachable(NodeUnreachable event) {
    for (ActorRef<Command> worker : List.copyOf(workers.keySet())) {
      if (worker.path().address().equals(event.address())) {
        lose(worker, "its node " + event.address() + " is unreachable");
      }
    }
    return advance();
  }

  private Behavior<Message> onGone(ActorRef<Command> worker, String why) {
    if (workers.containsKey(worker)) {
      lose(worker, why);
    }
    return advance();
  }

  /** Takes a worker out of training and lets the current operation re-plan around it. */
  private void lose(ActorRef<Command> worker, String why) {
    WorkerStatus was = workers.remove(worker);
    if (was == null) {
      return;
    }
    getContext().getLog().warn("worker {} is out: {}", worker.path(), why);
    if (was == WorkerStatus.READY || was == WorkerStatus.PREPARED) {
      if (current != null) {
        current.onWorkerLost(worker);
      }
      if (ready().isEmpty() && was == WorkerStatus.READY) {
        lostAllReplicas();
      }
    }
  }

  /** The replicas' state went with the last ready worker: restart from the last checkpoint. */
  private void lostAllReplicas() {
    current = null;
    if (stage == Stage.FINAL_LOAD || stage == Stage.FINAL_TEST) {
      stage = Stage.FINAL_LOAD;
    } else if (midEpochCheckpoint.isPresent()) {
      MidEpochCheckpoint mid = midEpochCheckpoint.get();
      getContext().getLog().warn("no replica left: epoch {} continues after step {} from {}", mid.epoch(), mid.step(),
          mid.checkpoint().fileName());
      continueFrom(mid);
    } else if (diverged || step > 0 || stage != Stage.TRAINING) {
      int restart = lastCheckpoint.map(c -> c.epoch() + 1).orElse(1);
      getContext().getLog().warn("no replica left: epoch {} restarts from {}", restart,
          lastCheckpoint.map(CheckpointRef::fileName).orElse("the initial state"));
      stage = Stage.TRAINING;
      startEpoch(restart);
    }
    diverged = false;
    store.removePrefix(TensorKeys.experiment(experimentId) + "grad/");
    store.removePrefix(TensorKeys.experiment(experimentId) + "reduced/");
  }

  private List<ActorRef<Command>> ready() {
    List<ActorRef<Command>> ready = new ArrayList<>();
    workers.forEach((worker, s) -> {
      if (s == WorkerStatus.READY) {
        ready.add(worker);
      }
    });
    return ready;
  }

  private List<ActorRef<Command>> withStatus(WorkerStatus wanted) {
    return workers.entrySet().stream().filter(e -> e.getValue() == wanted).map(Map.Entry::getKey).toList();
  }

  // ---- replies -------------------------------------------------------------------------------

  private Behavior<Message> onReply(FromWorker message) {
    Reply reply = message.reply();
    if (!reply.experimentId().equals(experimentId) || !workers.containsKey(reply.worker())) {
      return this;
    }
    if (reply instanceof WorkerFailed failed) {
      lastWorkerFailure = failed.reason();
      getContext().getLog().warn("worker {} failed: {}", failed.worker().path(), failed.reason());
      boolean wasReady = workers.get(failed.worker()) == WorkerStatus.READY;
      workers.put(failed.worker(), WorkerStatus.BROKEN);
      if (current != null) {
        current.onWorkerLost(failed.worker());
      }
      if (wasReady && ready().isEmpty()) {
        lostAllReplicas();
      }
      return advance();
    }
    if (reply instanceof Prepared prepared) {
      return onPrepared(prepared);
    }
    if (current != null) {
      current.onReply(reply);
    }
    return advance();
  }

  private Behavior<Message> onPrepared(Prepared prepared) {
    if (parameterFloats < 0) {
      parameterFloats = prepared.parameterFloats();
      statisticFloats = prepared.statisticFloats();
    } else if (parameterFloats != prepared.parameterFloats() || statisticFloats != prepared.statisticFloats()) {
      workers.put(prepared.worker(), WorkerStatus.BROKEN);
      lastWorkerFailure = "worker " + prepared.worker().path() + " built a replica of " + prepared.parameterFloats()
          + " parameters, the others " + parameterFloats;
      getContext().getLog().error(lastWorkerFailure);
      return advance();
    }
    workers.put(prepared.worker(), WorkerStatus.PREPARED);
    return advance();
  }

  // ---- the driver ----------------------------------------------------------------------------

  /**
   * Takes out the workers an operation has waited for longer than the answer timeout: alive for
   * the failure detector (heartbeats flow) but not answering, e.g. a hung compute thread. They stay
   * marked broken until they leave the cluster, so they are not prepared again.
   */
  private Behavior<Message> onWatchdog() {
    if (current != watched) {
      watched = current;
      watchedSinceNanos = System.nanoTime();
      return this;
    }
    if (current == null || System.nanoTime() - watchedSinceNanos < settings.answerTimeout().toNanos()) {
      return this;
    }
    watchedSinceNanos = System.nanoTime();
    String why = "no answer within " + seconds(settings.answerTimeout()) + " s (hung?)";
    for (ActorRef<Command> worker : current.awaited()) {
      if (workers.containsKey(worker)) {
        lose(worker, why);
        workers.put(worker, WorkerStatus.BROKEN);
        lastWorkerFailure = "worker " + worker.path() + ": " + why;
      }
    }
    return advance();
  }

  private static Duration watchdogPeriod(RunnerSettings settings) {
    Duration quarter = settings.answerTimeout().dividedBy(4);
    Duration floor = Duration.ofMillis(50);
    Duration ceiling = Duration.ofSeconds(5);
    return quarter.compareTo(floor) < 0 ? floor : quarter.compareTo(ceiling) > 0 ? ceiling : quarter;
  }

  private Behavior<Message> onCancel(Cancel cancel) {
    if (cancelReason.isEmpty()) {
      getContext().getLog().info("experiment {}: cancel requested ({}); stopping at the next step boundary",
          experimentId, cancel.reason());
      cancelReason = Optional.of(cancel.reason());
    }
    return advance();
  }

  /** Starts the next operation when none is running. */
  private Behavior<Message> advance() {
    if (current == null && cancelReason.isPresent() && !status.state().isTerminal()) {
      releaseWorkers();
      moveTo(RunState.CANCELLED, cancelReason.get());
    }
    while (current == null && !status.state().isTerminal()) {
      List<ActorRef<Command>> newcomers = withStatus(WorkerStatus.PREPARED);
      if (!newcomers.isEmpty() && admit(newcomers)) {
        continue;
      }
      if (current != null) {
        break;
      }
      if (status.state() == RunState.QUEUED && ready().size() < settings.workersToStart()) {
        startPause("waiting for " + settings.workersToStart() + " workers, " + ready().size() + " ready");
        break;
      }
      if (ready().isEmpty()) {
        startPause(lastWorkerFailure.isEmpty() ? "no live worker"
            : "no live worker; last worker failure: " + lastWorkerFailure);
        break;
      }
      endPause();
      try {
        startNextOperation();
      } catch (IOException | RuntimeException e) {
        fail("run " + experimentId + " failed at epoch " + epoch + ", stage " + stage + ": " + e);
      }
    }
    return status.state().isTerminal() ? Behaviors.stopped() : this;
  }

  /**
   * Brings prepared newcomers into training. Returns true when they became ready at once (nothing
   * to copy), false when a state copy operation was started (or nothing could be done).
   */
  private boolean admit(List<ActorRef<Command>> newcomers) {
    List<ActorRef<Command>> ready = ready();
    if (!ready.isEmpty() && diverged) {
      current = new StateCopy(this, newcomers, ready.get(0), null);
      current.start();
      return false;
    }
    Optional<CheckpointRef> restore = stage == Stage.FINAL_LOAD || stage == Stage.FINAL_TEST ? Optional.empty()
        : ready.isEmpty() ? midEpochCheckpoint.map(MidEpochCheckpoint::checkpoint).or(() -> lastCheckpoint)
        : Optional.empty();
    if (restore.isPresent() && !diverged) {
      try {
        String key = TensorKeys.runnerState(experimentId, StatePart.WHOLE_REPLICA, ++serial);
        store.put(key, FloatChunks.fromBytes(run.readCheckpoint(restore.get())));
        current = new StateCopy(this, newcomers, null, key);
        current.start();
        return false;
      } catch (IOException e) {
        fail("cannot read checkpoint " + restore.get().fileName() + " to restart from: " + e.getMessage());
        return false;
      }
    }
    newcomers.forEach(w -> workers.put(w, WorkerStatus.READY));
    getContext().getLog().info("{} worker(s) ready: {} in training", newcomers.size(), ready().size());
    return true;
  }

  private void startNextOperation() throws IOException {
    switch (stage) {
      case TRAINING -> {
        if (syncDue) {
          syncDue = false;
          startAverage(StatePart.TRAINABLE_PARAMETERS, Stage.TRAINING);
        } else if (stepCheckpointDue) {
          // replicas agree on parameters after every step (or after this average with local SGD); their
          // BatchNorm statistics only after the statistics average
          stepCheckpointDue = false;
          startAverage(StatePart.TRAINABLE_PARAMETERS, Stage.STEP_STATISTICS_AVERAGE);
        } else if (step < plan.steps()) {
          startStep();
        } else {
          stage = Stage.PARAMETER_AVERAGE;
        }
      }
      case STEP_STATISTICS_AVERAGE -> startAverage(StatePart.RUNNING_STATISTICS, Stage.STEP_CHECKPOINT);
      case STEP_CHECKPOINT -> {
        current = new CheckpointCapture(this, ready(), this::stepCheckpointWritten);
        current.start();
      }
      case PARAMETER_AVERAGE -> startAverage(StatePart.TRAINABLE_PARAMETERS, Stage.STATISTICS_AVERAGE);
      case STATISTICS_AVERAGE -> startAverage(StatePart.RUNNING_STATISTICS, Stage.VALIDATION);
      case VALIDATION -> {
        current = new Evaluation(this, EvalSplit.VALIDATION, dataset.val(), ready(), this::finishValidation);
        current.start();
      }
      case CHECKPOINT -> {
        current = new CheckpointCapture(this, ready(), this::checkpointWritten);
        current.start();
      }
      case FINAL_LOAD -> {
        CheckpointRef best = bestCheckpoint.orElseThrow(() -> new IllegalStateException("no checkpoint to test"));
        String key = TensorKeys.runnerState(experimentId, StatePart.WHOLE_REPLICA, ++serial);
        store.put(key, FloatChunks.fromBytes(run.readCheckpoint(best)));
        current = new StateLoad(this, ready(), StatePart.WHOLE_REPLICA, key, () -> stage = Stage.FINAL_TEST);
        current.start();
      }
      case FINAL_TEST -> {
        current = new Evaluation(this, EvalSplit.TEST, dataset.test(), ready(), this::finish);
        current.start();
      }
    }
  }

  private void startAverage(StatePart part, Stage next) {
    boolean needed = part == StatePart.TRAINABLE_PARAMETERS ? localSgd() : statisticFloats > 0;
    if (!needed || ready().size() < 2) {
      stage = next;
      return;
    }
    current = new Averaging(this, part, ready(), () -> stage = next);
    current.start();
  }

  private void startStep() {
    if (status.state() != RunState.RUNNING) {
      moveTo(RunState.RUNNING, "");
    }
    if (step == 0 && spec.getPerWorkerBsize()) {
      // the DDP convention: the global batch is bsize per worker, fixed for the epoch at its start
      startEpoch(epoch);
    }
    List<ActorRef<Command>> participants = ready();
    if (spec.getMaxWorkers() > 0 && participants.size() > spec.getMaxWorkers()) {
      participants = participants.subList(0, spec.getMaxWorkers());
    }
    int[] batch = plan.batch(step);
    int[] next = step + 1 < plan.steps() ? plan.batch(step + 1) : new int[0];
    current = new TrainingStep(this, epoch, step, batch, next, participants, ready(), localSgd(), headOnly());
    current.start();
  }

  // ---- operation callbacks ---------------------------------------------------------------------

  /** A step ended: its micro-batches were reduced and every replica applied the update. */
  void stepFinished(TrainingStep done) {
    current = null;
    diverged = true;
    tally.add(done);
    globalStep++;
    step++;
    if (localSgd() && step % spec.getSyncEvery() == 0 && step < plan.steps()) {
      syncDue = true;
    }
    int every = spec.getCheckpointEverySteps();
    if (every > 0 && step % every == 0 && step < plan.steps()) {
      stepCheckpointDue = true;
    }
    listener.onStep(new StepProgress(epoch, spec.getNumEpochs(), step, plan.steps(), done.meanLoss(),
        done.samples(), done.participantCount(), done.wallSeconds(), done.computeSeconds(),
        done.exchangeSeconds()));
  }

  /** An operation other than a step ended; its continuation ran. */
  void operationFinished() {
    current = null;
  }

  /** An operation gave up (e.g. the same micro-batch failed on too many workers). */
  void operationFailed(String reason) {
    current = null;
    fail(reason);
  }

  private void finishValidation(MeanAveragePrecision map) {
    tally.validation(map.mapPercent());
    stage = Stage.CHECKPOINT;
  }

  /** A mid-epoch checkpoint is written: note where the epoch stands, drop the previous one. */
  private void stepCheckpointWritten(CheckpointRef checkpoint) throws IOException {
    Optional<MidEpochCheckpoint> previous = midEpochCheckpoint;
    MidEpochCheckpoint mid = new MidEpochCheckpoint(checkpoint, step, globalStep, epochBatchSize, tally.snapshot());
    mid.write(run.path());
    midEpochCheckpoint = Optional.of(mid);
    if (previous.isPresent() && !previous.get().checkpoint().equals(checkpoint)) {
      run.deleteCheckpoint(previous.get().checkpoint());
    }
    stage = Stage.TRAINING;
  }

  /** The epoch's checkpoint is written: record the epoch and decide what comes next. */
  private void checkpointWritten(CheckpointRef checkpoint) throws IOException {
    // observed only now: an epoch lost before its checkpoint is redone and must not count twice
    earlyStop = earlyStop.observe(epoch, tally.valMap());
    Optional<CheckpointRef> previous = lastCheckpoint;
    lastCheckpoint = Optional.of(checkpoint);
    boolean improved = earlyStop.lastImproved() && earlyStop.bestEpoch() == epoch;
    Optional<CheckpointRef> oldBest = bestCheckpoint;
    if (improved) {
      run.markBest(checkpoint);
      bestCheckpoint = Optional.of(checkpoint);
      bestValMap = tally.valMap();
    }
    for (Optional<CheckpointRef> stale : List.of(previous, oldBest)) {
      if (stale.isPresent() && !stale.equals(lastCheckpoint) && !stale.equals(bestCheckpoint)) {
        run.deleteCheckpoint(stale.get());
      }
    }
    PseudoLabelQuality quality = tally.pseudoLabels().quality();
    lastPseudoLabels = quality;
    EpochSampleCount counts = tally.sampleCount();
    EpochRecord record = new EpochRecord(epoch, tally.meanLoss(), tally.valMap(), quality.precision(),
        quality.recall(), quality.f1(), tally.samplesTrained(), tally.samplesSkipped(), tally.seconds(), improved,
        tally.reruns(), tally.workersSeen());
    run.appendEpoch(record);
    sampleCounts.add(counts);
    SampleCountLog.write(run.path(), sampleCounts);
    if (midEpochCheckpoint.isPresent()) {
      // the progress file goes first, so it never names a deleted checkpoint
      MidEpochCheckpoint.delete(run.path());
      run.deleteCheckpoint(midEpochCheckpoint.get().checkpoint());
      midEpochCheckpoint = Optional.empty();
    }
    epochsTrained = epoch;
    getContext().getLog().info("epoch {}: loss {}, val mAP {}, {} samples, {} re-run micro-batches{}", epoch,
        String.format("%.4f", record.trainLoss()), String.format("%.2f", record.valMap()), record.samplesTrained(),
        record.microbatchesRerun(), improved ? " (best)" : "");
    listener.onEpoch(record, counts);
    stopReason = spec.getEarlyStop() ? earlyStop.stopReason(tally.valMap()) : Optional.empty();
    if (stopReason.isEmpty() && epoch >= spec.getNumEpochs()) {
      stopReason = Optional.of("completed");
    }
    if (stopReason.isPresent()) {
      stage = Stage.FINAL_LOAD;
    } else {
      stage = Stage.TRAINING;
      startEpoch(epoch + 1);
    }
  }

  private void finish(MeanAveragePrecision test) {
    RunResult result = new RunResult(earlyStop.bestEpoch(), bestValMap, test.mapPercent(), test.apPerClass(),
        lastPseudoLabels.precision(), lastPseudoLabels.recall(), lastPseudoLabels.f1(),
        (System.currentTimeMillis() - startMillis) / 1e3, stopReason.orElse("completed"), epochsTrained);
    try {
      run.writeResult(result);
    } catch (IOException e) {
      fail("cannot write result.json: " + e.getMessage());
      return;
    }
    getContext().getLog().info("experiment {} completed: test mAP {} (best epoch {})", experimentId,
        String.format("%.2f", result.testMap()), result.bestEpoch());
    releaseWorkers();
    moveTo(RunState.COMPLETED, result.stopReason());
    listener.onCompleted(result);
  }

  private void fail(String reason) {
    if (status.state().isTerminal()) {
      return;
    }
    getContext().getLog().error("experiment {} failed: {}", experimentId, reason);
    releaseWorkers();
    moveTo(RunState.FAILED, reason);
    listener.onFailed(reason);
  }

  private void releaseWorkers() {
    workers.keySet().forEach(w -> w.tell(new Release(experimentId)));
    store.removePrefix(TensorKeys.experiment(experimentId));
  }

  // ---- pause ---------------------------------------------------------------------------------

  private void startPause(String why) {
    if (status.state() == RunState.PAUSED || status.state() == RunState.QUEUED && timers.isTimerActive("pause")) {
      return;
    }
    long serialOfPause = ++pauseSerial;
    timers.startSingleTimer("pause", new PauseExpired(serialOfPause), settings.pauseTimeout());
    String message = why + "; waiting up to " + seconds(settings.pauseTimeout()) + " s for a worker";
    if (status.state() == RunState.RUNNING) {
      moveTo(RunState.PAUSED, message);
    } else {
      getContext().getLog().info("experiment {}: {}", experimentId, message);
    }
  }

  private void endPause() {
    timers.cancel("pause");
    pauseSerial++;
    if (status.state() == RunState.PAUSED) {
      moveTo(RunState.RUNNING, "");
    }
  }

  private Behavior<Message> onPauseExpired(PauseExpired expired) {
    if (expired.serial() == pauseSerial && ready().isEmpty()) {
      fail("no live worker for " + seconds(settings.pauseTimeout()) + " s (pause timeout)"
          + (lastWorkerFailure.isEmpty() ? "" : "; last worker failure: " + lastWorkerFailure));
      return Behaviors.stopped();
    }
    return this;
  }

  private void moveTo(RunState state, String message) {
    status = status.moveTo(state, message, System.currentTimeMillis());
    try {
      run.writeStatus(status);
    } catch (IOException e) {
      getContext().getLog().error("cannot write status.json of {}: {}", experimentId, e.getMessage());
    }
    getContext().getLog().info("experiment {} is {}{}", experimentId, state, message.isEmpty() ? "" : ": " + message);
    listener.onState(state, message);
  }

  // ---- helpers for operations ------------------------------------------------------------------

  private void startEpoch(int newEpoch) {
    epoch = newEpoch;
    step = 0;
    syncDue = false;
    int trainSize = dataset.train().size();
    epochBatchSize = spec.getPerWorkerBsize() ? spec.getBsize() * Math.max(1, ready().size()) : spec.getBsize();
    plan = EpochPlan.of(spec.getSeed(), newEpoch, trainSize, epochBatchSize);
    tally = new EpochTally(newEpoch, plan.sampleCount(), trainSize);
  }

  boolean localSgd() {
    return spec.getSyncEvery() > 1;
  }

  private boolean headOnly() {
    return spec.getFreezeFeatureExtractor() || epoch <= spec.getLinearInit();
  }

  String experimentId() {
    return experimentId;
  }

  TensorStore store() {
    return store;
  }

  ActorRef<Reply> replies() {
    return replies;
  }

  RunnerSettings settings() {
    return settings;
  }

  int epoch() {
    return epoch;
  }

  long nextSerial() {
    return ++serial;
  }

  long globalStep() {
    return globalStep;
  }

  RunDirectory run() {
    return run;
  }

  /** The ready workers now (operations re-plan with it after a loss). */
  List<ActorRef<Command>> readyWorkers() {
    return ready();
  }

  /** A state copy made the newcomers ready. */
  void admitted(List<ActorRef<Command>> newcomers) {
    for (ActorRef<Command> w : newcomers) {
      if (workers.get(w) == WorkerStatus.PREPARED) {
        workers.put(w, WorkerStatus.READY);
      }
    }
    diverged = true;
    current = null;
    getContext().getLog().info("{} worker(s) joined with a copy of the state: {} in training", newcomers.size(),
        ready().size());
  }

  /** Marks that replicas now hold state loaded from elsewhere. */
  void stateLoaded() {
    diverged = true;
  }

  Logger log() {
    return getContext().getLog();
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
  }

  /** Duration helper for operations. */
  static double seconds(long fromNanos) {
    return (System.nanoTime() - fromNanos) / 1e9;
  }
}
