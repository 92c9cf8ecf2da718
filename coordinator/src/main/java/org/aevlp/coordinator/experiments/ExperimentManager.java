package org.aevlp.coordinator.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.aevlp.common.cluster.ExperimentDataset;
import org.aevlp.common.cluster.WorkerProtocol;
import org.aevlp.common.data.SpmlDataset;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunDirectory;
import org.aevlp.common.runs.RunResult;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStatus;
import org.aevlp.common.runs.StoredRun;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecJson;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.ExperimentRunner;
import org.aevlp.coordinator.runner.ResumePoint;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.StepProgress;
import org.aevlp.proto.v1.CancelResponse;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.ListExperimentsRequest;
import org.aevlp.proto.v1.ListExperimentsResponse;
import org.aevlp.proto.v1.SubmitResponse;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The experiments of a cluster (DESIGN §2): accepts submissions, keeps them in a FIFO queue, runs
 * one at a time over all workers with an {@link ExperimentRunner} child, answers queries and feeds
 * watchers. Runs as a cluster singleton on the coordinator role.
 *
 * <p>Durable state is the run store only: every experiment is a run directory ({@code spec.json},
 * {@code status.json}, {@code submission.json}, epochs, checkpoints, result). On start the manager
 * reads it back: experiments that were running resume from their newest epoch checkpoint, queued
 * ones stay queued in their order, finished ones are listed with their results.
 */
public final class ExperimentManager extends AbstractBehavior<ExperimentManager.Command> {

  /** Messages the manager handles. */
  public sealed interface Command {}

  /**
   * Queue an experiment. A request id seen before returns the earlier experiment.
   *
   * @param requestId the client's idempotency key (empty: none)
   * @param experimentId the id to use (empty: the manager assigns one); for tools in this JVM
   * @param spec the spec as submitted; defaults are filled and it is validated here
   */
  public record Submit(String requestId, Optional<String> experimentId, ExperimentSpec spec,
      ActorRef<SubmitReply> replyTo) implements Command {}

  /** The answer to a Submit: the response, or why the spec was refused (naming the field). */
  public record SubmitReply(Optional<SubmitResponse> accepted, String refusal) {}

  /** One experiment; empty when the id is unknown. */
  public record Get(String experimentId, ActorRef<Optional<Experiment>> replyTo) implements Command {}

  /** Experiments, newest first, filtered as the request says. */
  public record ListExperiments(ListExperimentsRequest request, ActorRef<ListExperimentsResponse> replyTo)
      implements Command {}

  /**
   * Stop an experiment at its next step boundary. The reply comes when it has ended, with its final
   * state (CANCELLED, or the state it ended in first); empty for an unknown id.
   */
  public record Cancel(String experimentId, ActorRef<Optional<CancelResponse>> replyTo) implements Command {}

  /**
   * Subscribe to an experiment's events: the history so far, then live events; the last one has
   * {@link WatchFeed.Event#last()} set. An unknown id gets {@link WatchFeed.Unknown}.
   */
  public record Watch(String experimentId, ActorRef<WatchFeed> watcher) implements Command {}

  /** Stop sending to a watcher (its client went away). */
  public record Unwatch(ActorRef<WatchFeed> watcher) implements Command {}

  /** What a watcher receives. */
  public sealed interface WatchFeed {
    /** One event; {@code last} when the experiment has ended with it. */
    record Event(ExperimentEvent event, boolean last) implements WatchFeed {}

    /** No experiment has this id. */
    record Unknown(String experimentId) implements WatchFeed {}
  }

  // messages from this actor's runner, its futures and DeathWatch

  private record RunnerState(String id, RunState state, String message) implements Command {}

  private record RunnerStep(String id, StepProgress progress) implements Command {}

  private record RunnerEpoch(String id, EpochRecord record) implements Command {}

  private record RunnerResult(String id, RunResult result) implements Command {}

  private record RunnerStopped(String id) implements Command {}

  private record Started(String id, Optional<StartInputs> inputs, String failure) implements Command {}

  private record WorkersListed(int count) implements Command {}

  private record StartInputs(SpmlDataset dataset, Optional<ResumePoint> resume) {}

  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  private final ManagerSettings settings;
  private final SpecLoader specs = SpecLoader.builtIn();
  private final DataRoot dataRoot;
  private final Map<String, ExperimentEntry> experiments = new LinkedHashMap<>();
  private final Map<String, String> byRequestId = new HashMap<>();
  private final Deque<String> queue = new ArrayDeque<>();
  private final Map<String, List<ActorRef<Optional<CancelResponse>>>> pendingCancels = new HashMap<>();
  private Optional<String> active = Optional.empty();
  private Optional<ActorRef<ExperimentRunner.Message>> runner = Optional.empty();
  private long nextSequence = 1;

  private ExperimentManager(ActorContext<Command> context, ManagerSettings settings) {
    super(context);
    this.settings = settings;
    this.dataRoot = DataRoot.of(settings.runner().dataDir());
  }

  /**
   * A manager over the settings' run store. It reads the store before answering anything (the
   * answers depend on it), then starts the first queued or interrupted experiment.
   */
  public static Behavior<Command> create(ManagerSettings settings) {
    return Behaviors.setup(context -> {
      ExperimentManager manager = new ExperimentManager(context, settings);
      ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class,
          listing -> new WorkersListed(listing.getServiceInstances(WorkerProtocol.WORKER_SERVICE).size()));
      context.getSystem().receptionist().tell(Receptionist.subscribe(WorkerProtocol.WORKER_SERVICE, listings));
      manager.recover();
      manager.reportStates();
      manager.startNextIfIdle();
      return manager;
    });
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(Get.class, this::onGet)
        .onMessage(ListExperiments.class, this::onList)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(Watch.class, this::onWatch)
        .onMessage(Unwatch.class, this::onUnwatch)
        .onMessage(Started.class, this::onStarted)
        .onMessage(RunnerState.class, this::onRunnerState)
        .onMessage(RunnerStep.class, this::onRunnerStep)
        .onMessage(RunnerEpoch.class, this::onRunnerEpoch)
        .onMessage(RunnerResult.class, this::onRunnerResult)
        .onMessage(RunnerStopped.class, this::onRunnerStopped)
        .onMessage(WorkersListed.class, listed -> {
          settings.clusterMetrics().workersAlive(listed.count());
          return this;
        })
        .build();
  }

  // ---- recovery ------------------------------------------------------------------------------

  /** Rebuilds the experiments from the run store; unfinished ones go back into the queue. */
  private void recover() throws IOException {
    record Found(StoredRun run, Submission submission, ExperimentSpec spec) {}
    List<Found> found = new ArrayList<>();
    for (StoredRun run : settings.runs().list()) {
      Optional<Submission> submission = Submission.read(run.directory());
      if (submission.isEmpty()) {
        continue;
      }
      try {
        ExperimentSpec spec = SpecJson.parse(run.specJson(), run.directory().resolve("spec.json").toString()).spec();
        found.add(new Found(run, submission.get(), spec));
      } catch (SpecException e) {
        getContext().getLog().warn("run {} skipped: its spec no longer reads: {}", run.id(), e.getMessage());
      }
    }
    found.sort(Comparator.comparingLong(f -> f.submission().sequence()));
    List<String> interrupted = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    for (Found f : found) {
      StoredRun run = f.run();
      ExperimentEntry entry = new ExperimentEntry(run.id(), f.submission().requestId(), f.submission().sequence(),
          f.spec(), settings.runs().open(run.id()), run.status());
      long now = System.currentTimeMillis();
      run.epochs().forEach(e -> entry.epochEnded(ExperimentProtos.epoch(e), now));
      entry.stateChanged(run.status(), now);
      run.result().ifPresent(r -> entry.completed(ExperimentProtos.result(r), now));
      experiments.put(entry.id, entry);
      if (!entry.requestId.isEmpty()) {
        byRequestId.put(entry.requestId, entry.id);
      }
      nextSequence = Math.max(nextSequence, entry.sequence + 1);
      if (!run.status().state().isTerminal()) {
        (run.status().state() == RunState.QUEUED ? waiting : interrupted).add(entry.id);
      }
    }
    queue.addAll(interrupted);
    queue.addAll(waiting);
    if (!experiments.isEmpty()) {
      getContext().getLog().info("run store {}: {} experiment(s), {} to resume, {} queued", settings.runs().root(),
          experiments.size(), interrupted.size(), waiting.size());
    }
  }

  // ---- requests ------------------------------------------------------------------------------

  private Behavior<Command> onSubmit(Submit submit) {
    if (!submit.requestId().isEmpty() && byRequestId.containsKey(submit.requestId())) {
      String id = byRequestId.get(submit.requestId());
      submit.replyTo().tell(new SubmitReply(Optional.of(SubmitResponse.newBuilder().setExperimentId(id)
          .setDuplicate(true).setQueuePosition(queuePosition(id)).build()), ""));
      return this;
    }
    ExperimentSpec spec;
    try {
      spec = admit(submit.spec());
    } catch (SpecException | IllegalArgumentException e) {
      submit.replyTo().tell(new SubmitReply(Optional.empty(), e.getMessage()));
      return this;
    }
    long sequence = nextSequence++;
    long now = System.currentTimeMillis();
    String id = submit.experimentId().orElseGet(() -> newId(spec, sequence, now));
    RunStatus status = RunStatus.queued(now);
    RunDirectory run;
    try {
      run = settings.runs().create(id, SpecJson.toJson(spec), status);
      new Submission(submit.requestId(), sequence).write(run.path());
    } catch (IOException | IllegalArgumentException e) {
      submit.replyTo().tell(new SubmitReply(Optional.empty(), "cannot create run directory " + id + " in "
          + settings.runs().root() + ": " + e.getMessage()));
      return this;
    }
    ExperimentEntry entry = new ExperimentEntry(id, submit.requestId(), sequence, spec, run, status);
    entry.stateChanged(status, now);
    experiments.put(id, entry);
    if (!submit.requestId().isEmpty()) {
      byRequestId.put(submit.requestId(), id);
    }
    queue.add(id);
    reportStates();
    getContext().getLog().info("experiment {} queued ({} ahead)", id, queue.size() - 1 + (active.isPresent() ? 1 : 0));
    int position = queuePosition(id);
    startNextIfIdle();
    submit.replyTo().tell(new SubmitReply(Optional.of(SubmitResponse.newBuilder().setExperimentId(id)
        .setQueuePosition(position).build()), ""));
    return this;
  }

  /** Fills defaults and checks what this coordinator can run, naming the field that is wrong. */
  private ExperimentSpec admit(ExperimentSpec submitted) throws SpecException {
    ExperimentSpec spec = specs.resolve(submitted, "submitted spec");
    ExperimentRunner.requireSupported(spec);
    dataRoot.check(spec);
    Optional<Path> dataDir = settings.runner().dataDir()
        .or(() -> spec.getDataDir().isEmpty() ? Optional.empty() : Optional.of(Path.of(spec.getDataDir())));
    if (dataDir.isEmpty()) {
      throw new IllegalArgumentException("data_dir: the spec names no data directory and the coordinator has no"
          + " --data-dir");
    }
    if (!Files.isDirectory(dataDir.get())) {
      throw new IllegalArgumentException("data_dir: " + dataDir.get().toAbsolutePath()
          + " is not a directory on the coordinator" + (settings.runner().dataDir().isPresent()
              ? " (its --data-dir)" : ""));
    }
    return spec;
  }

  private static String newId(ExperimentSpec spec, long sequence, long nowMs) {
    String base = (spec.getName().isEmpty() ? spec.getDataset() : spec.getName())
        .replaceAll("[^A-Za-z0-9_.-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
    if (base.isEmpty() || base.length() > 80) {
      base = "experiment";
    }
    return String.format(Locale.ROOT, "%s-%s-%d", base, ID_TIME.format(Instant.ofEpochMilli(nowMs)), sequence);
  }

  /** 0 for the running experiment, k for the k-th in the queue behind it, -1 when not queued. */
  private int queuePosition(String id) {
    if (active.filter(id::equals).isPresent()) {
      return 0;
    }
    int position = active.isPresent() ? 1 : 0;
    for (String queued : queue) {
      if (queued.equals(id)) {
        return position;
      }
      position++;
    }
    return -1;
  }

  private Behavior<Command> onGet(Get get) {
    get.replyTo().tell(Optional.ofNullable(experiments.get(get.experimentId())).map(ExperimentEntry::toProto));
    return this;
  }

  private Behavior<Command> onList(ListExperiments list) {
    List<ExperimentState> wanted = list.request().getStatesList();
    List<ExperimentEntry> newestFirst = new ArrayList<>(experiments.values());
    newestFirst.sort(Comparator.comparingLong((ExperimentEntry e) -> e.sequence).reversed());
    ListExperimentsResponse.Builder response = ListExperimentsResponse.newBuilder();
    for (ExperimentEntry entry : newestFirst) {
      if (list.request().getLimit() > 0 && response.getExperimentsCount() >= list.request().getLimit()) {
        break;
      }
      if (wanted.isEmpty() || wanted.contains(ExperimentProtos.state(entry.status.state()))) {
        response.addExperiments(entry.toProto());
      }
    }
    list.replyTo().tell(response.build());
    return this;
  }

  private Behavior<Command> onCancel(Cancel cancel) {
    ExperimentEntry entry = experiments.get(cancel.experimentId());
    if (entry == null) {
      cancel.replyTo().tell(Optional.empty());
      return this;
    }
    if (entry.status.state().isTerminal()) {
      cancel.replyTo().tell(Optional.of(cancelResponse(entry)));
      return this;
    }
    if (queue.remove(entry.id)) {
      moveTo(entry, RunState.CANCELLED, "cancelled while queued");
      cancel.replyTo().tell(Optional.of(cancelResponse(entry)));
      return this;
    }
    pendingCancels.computeIfAbsent(entry.id, id -> new ArrayList<>()).add(cancel.replyTo());
    runner.ifPresent(r -> r.tell(new ExperimentRunner.Cancel("cancelled by request")));
    return this;
  }

  private static CancelResponse cancelResponse(ExperimentEntry entry) {
    return CancelResponse.newBuilder().setState(ExperimentProtos.state(entry.status.state())).build();
  }

  private Behavior<Command> onWatch(Watch watch) {
    ExperimentEntry entry = experiments.get(watch.experimentId());
    if (entry == null) {
      watch.watcher().tell(new WatchFeed.Unknown(watch.experimentId()));
      return this;
    }
    List<ExperimentEvent> history = entry.history();
    boolean ended = entry.ended();
    for (int i = 0; i < history.size(); i++) {
      watch.watcher().tell(new WatchFeed.Event(history.get(i), ended && i == history.size() - 1));
    }
    if (!ended) {
      entry.watchers.add(watch.watcher());
      getContext().watchWith(watch.watcher(), new Unwatch(watch.watcher()));
    }
    return this;
  }

  private Behavior<Command> onUnwatch(Unwatch unwatch) {
    experiments.values().forEach(e -> e.watchers.remove(unwatch.watcher()));
    getContext().unwatch(unwatch.watcher());
    return this;
  }

  // ---- running -------------------------------------------------------------------------------

  private void startNextIfIdle() {
    if (active.isPresent() || queue.isEmpty()) {
      return;
    }
    String id = queue.poll();
    ExperimentEntry entry = experiments.get(id);
    active = Optional.of(id);
    CompletableFuture<StartInputs> inputs = CompletableFuture.supplyAsync(() -> {
      try {
        return new StartInputs(ExperimentDataset.open(entry.spec, settings.runner().dataDir()),
            ResumePoint.of(entry.run));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e.getMessage(), e);
      }
    }, settings.blocking());
    getContext().pipeToSelf(inputs, (ready, error) -> error == null ? new Started(id, Optional.of(ready), "")
        : new Started(id, Optional.empty(), rootMessage(error)));
  }

  private Behavior<Command> onStarted(Started started) {
    ExperimentEntry entry = experiments.get(started.id());
    if (started.inputs().isEmpty()) {
      moveTo(entry, RunState.FAILED, "cannot start: " + started.failure());
      endActive(entry);
      return this;
    }
    if (!pendingCancels.getOrDefault(entry.id, List.of()).isEmpty()) {
      moveTo(entry, RunState.CANCELLED, "cancelled by request");
      endActive(entry);
      return this;
    }
    StartInputs inputs = started.inputs().get();
    inputs.resume().ifPresent(point -> {
      int kept = point.epochs().size();
      entry.history().stream().filter(ExperimentEvent::hasEpoch).map(ExperimentEvent::getEpoch)
          .filter(e -> e.getEpoch() > kept).findAny().ifPresent(e -> getContext().getLog()
              .info("experiment {}: epochs after {} are redone (their checkpoint was not kept)", entry.id, kept));
    });
    ExperimentRunner.RunnerInputs runnerInputs = new ExperimentRunner.RunnerInputs(entry.id, entry.spec,
        SpecJson.toJson(entry.spec), inputs.dataset(), entry.run, settings.tensors(), settings.endpoint(),
        settings.runner(), new ToManager(getContext().getSelf(), entry.id, settings.observers().apply(entry.id)),
        inputs.resume());
    ActorRef<ExperimentRunner.Message> child = getContext().spawn(ExperimentRunner.create(runnerInputs),
        "runner-" + entry.id);
    getContext().watchWith(child, new RunnerStopped(entry.id));
    runner = Optional.of(child);
    return this;
  }

  private Behavior<Command> onRunnerState(RunnerState message) {
    ExperimentEntry entry = experiments.get(message.id());
    if (entry.status.state().isTerminal()) {
      return this;
    }
    publish(entry, entry.stateChanged(readStatusOr(entry, message), System.currentTimeMillis()));
    reportStates();
    if (message.state().isTerminal()) {
      endActive(entry);
    }
    return this;
  }

  /** The status the runner wrote (it owns status.json while it runs); derived if unreadable. */
  private RunStatus readStatusOr(ExperimentEntry entry, RunnerState message) {
    try {
      RunStatus written = entry.run.read().status();
      if (written.state() == message.state()) {
        return written;
      }
    } catch (IOException e) {
      getContext().getLog().warn("experiment {}: cannot read status.json back: {}", entry.id, e.getMessage());
    }
    return entry.status.moveTo(message.state(), message.message(), System.currentTimeMillis());
  }

  private Behavior<Command> onRunnerStep(RunnerStep message) {
    ExperimentEntry entry = experiments.get(message.id());
    publish(entry, entry.stepped(message.progress(), System.currentTimeMillis()));
    return this;
  }

  private Behavior<Command> onRunnerEpoch(RunnerEpoch message) {
    ExperimentEntry entry = experiments.get(message.id());
    publish(entry, entry.epochEnded(ExperimentProtos.epoch(message.record()), System.currentTimeMillis()));
    return this;
  }

  private Behavior<Command> onRunnerResult(RunnerResult message) {
    ExperimentEntry entry = experiments.get(message.id());
    // comes right after the COMPLETED state change and ends the watch streams
    publish(entry, entry.completed(ExperimentProtos.result(message.result()), System.currentTimeMillis()));
    return this;
  }

  private Behavior<Command> onRunnerStopped(RunnerStopped stopped) {
    ExperimentEntry entry = experiments.get(stopped.id());
    if (!entry.status.state().isTerminal()) {
      moveTo(entry, RunState.FAILED, "the runner stopped unexpectedly (see the coordinator log)");
      endActive(entry);
    }
    return this;
  }

  /** A state change made by the manager itself (not the runner): written, then published. */
  private void moveTo(ExperimentEntry entry, RunState state, String message) {
    RunStatus next = entry.status.moveTo(state, message, System.currentTimeMillis());
    try {
      entry.run.writeStatus(next);
    } catch (IOException e) {
      getContext().getLog().error("experiment {}: cannot write status.json: {}", entry.id, e.getMessage());
    }
    getContext().getLog().info("experiment {} is {}{}", entry.id, state, message.isEmpty() ? "" : ": " + message);
    publish(entry, entry.stateChanged(next, System.currentTimeMillis()));
    reportStates();
    RunListener observer = settings.observers().apply(entry.id);
    observer.onState(state, message);
    if (state == RunState.FAILED) {
      observer.onFailed(message);
    }
  }

  private void endActive(ExperimentEntry entry) {
    List<ActorRef<Optional<CancelResponse>>> waiting = pendingCancels.remove(entry.id);
    if (waiting != null) {
      waiting.forEach(r -> r.tell(Optional.of(cancelResponse(entry))));
    }
    if (active.filter(entry.id::equals).isPresent()) {
      runner.ifPresent(getContext()::unwatch);
      runner = Optional.empty();
      active = Optional.empty();
    }
    startNextIfIdle();
  }

  private void publish(ExperimentEntry entry, ExperimentEvent event) {
    boolean last = entry.ended();
    for (ActorRef<WatchFeed> watcher : entry.watchers) {
      watcher.tell(new WatchFeed.Event(event, last));
    }
    if (last) {
      entry.watchers.forEach(getContext()::unwatch);
      entry.watchers.clear();
    }
  }

  /** Experiments per state, for the cluster metrics. */
  private void reportStates() {
    Map<RunState, Integer> counts = new java.util.EnumMap<>(RunState.class);
    for (RunState state : RunState.values()) {
      counts.put(state, 0);
    }
    experiments.values().forEach(e -> counts.merge(e.status.state(), 1, Integer::sum));
    counts.forEach(settings.clusterMetrics()::experimentsInState);
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof java.io.UncheckedIOException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  /** Forwards a runner's callbacks to the manager as messages, and to this JVM's observer. */
  private record ToManager(ActorRef<Command> manager, String id, RunListener observer) implements RunListener {

    @Override
    public void onState(RunState state, String message) {
      observer.onState(state, message);
      manager.tell(new RunnerState(id, state, message));
    }

    @Override
    public void onStep(StepProgress progress) {
      observer.onStep(progress);
      manager.tell(new RunnerStep(id, progress));
    }

    @Override
    public void onEpoch(EpochRecord record, EpochSampleCount samples) {
      observer.onEpoch(record, samples);
      manager.tell(new RunnerEpoch(id, record));
    }

    @Override
    public void onCompleted(RunResult result) {
      observer.onCompleted(result);
      manager.tell(new RunnerResult(id, result));
    }

    @Override
    public void onFailed(String reason) {
      observer.onFailed(reason);
    }
  }
}
