package org.aevlp.coordinator.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.aevlp.common.cluster.WorkerProtocol.TensorEndpoint;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.common.runs.RunStore;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.common.tensor.TensorStore;
import org.aevlp.coordinator.experiments.ExperimentManager.WatchFeed;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.aevlp.coordinator.metrics.ClusterMetrics;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.FakeWorker;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.coordinator.runner.RunnerTestKit;
import org.aevlp.coordinator.runner.SampleCountLog;
import org.aevlp.proto.v1.CancelResponse;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.ListExperimentsRequest;
import org.aevlp.proto.v1.ListExperimentsResponse;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager's queue, idempotent submission, watch history, cancel and restart recovery, over a
 * real runner and workers that fake the DJL work (FakeWorker), on a tiny synthetic dataset on disk.
 */
class ExperimentManagerTest {

  private static final int CLASSES = 10;
  private static final int TRAIN = 32;

  @TempDir static Path data;
  @TempDir Path temp;
  private ActorTestKit testKit;
  private TensorStore tensors;
  private final ExecutorService blocking = Executors.newFixedThreadPool(2);
  private final Queue<String> journal = new ConcurrentLinkedQueue<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeAll
  static void dataset() throws Exception {
    new SyntheticDatasetGenerator(1).generate(data, SyntheticSpec.defaults().withCounts(40, 10, 0), n -> {});
  }

  @BeforeEach
  void start() {
    testKit = RunnerTestKit.joinedCluster("manager-test");
    tensors = TensorStore.open();
  }

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
    tensors.close();
    blocking.shutdownNow();
  }

  private void workers(int count, long computeMillis) {
    for (int i = 0; i < count; i++) {
      testKit.spawn(FakeWorker.create(tensors, CLASSES, journal, m -> false, computeMillis), "worker-" + i);
    }
  }

  private ActorRef<ExperimentManager.Command> manager(String name) throws Exception {
    RunnerSettings runner = RunnerSettings.defaults(Optional.empty()).withPauseTimeout(Duration.ofSeconds(60));
    ManagerSettings settings = new ManagerSettings(RunStore.open(temp.resolve("runs")), runner, tensors,
        new TensorEndpoint("127.0.0.1", 1, tensors.id()), id -> RunListener.NONE, new ClusterMetrics(registry),
        blocking);
    return testKit.spawn(ExperimentManager.create(settings), name);
  }

  private static ExperimentSpec spec(int epochs, String extra) throws Exception {
    return SpecLoader.builtIn().load("""
        {"dataset": "synthetic", "data_dir": "%s", "arch": "resnet18-narrow", "use_pretrained": false,
         "bsize": 8, "num_epochs": %d, "loss": "full_loss", "early_stop": false, "seed": 3%s}
        """.formatted(data.toString().replace("\\", "\\\\"), epochs, extra), "test").spec();
  }

  private ExperimentManager.SubmitReply submit(ActorRef<ExperimentManager.Command> manager, String requestId,
      ExperimentSpec spec) {
    TestProbe<ExperimentManager.SubmitReply> probe = testKit.createTestProbe();
    manager.tell(new ExperimentManager.Submit(requestId, Optional.empty(), spec, probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private String accepted(ActorRef<ExperimentManager.Command> manager, String requestId, ExperimentSpec spec) {
    ExperimentManager.SubmitReply reply = submit(manager, requestId, spec);
    assertTrue(reply.accepted().isPresent(), reply.refusal());
    return reply.accepted().get().getExperimentId();
  }

  /** Watches until the stream's last event; returns every event received. */
  private List<ExperimentEvent> watchToEnd(ActorRef<ExperimentManager.Command> manager, String id) {
    TestProbe<WatchFeed> probe = testKit.createTestProbe();
    manager.tell(new ExperimentManager.Watch(id, probe.getRef()));
    List<ExperimentEvent> events = new ArrayList<>();
    while (true) {
      WatchFeed feed = probe.receiveMessage(Duration.ofSeconds(60));
      WatchFeed.Event event = (WatchFeed.Event) feed;
      events.add(event.event());
      if (event.last()) {
        return events;
      }
    }
  }

  private Experiment get(ActorRef<ExperimentManager.Command> manager, String id) {
    TestProbe<Optional<Experiment>> probe = testKit.createTestProbe();
    manager.tell(new ExperimentManager.Get(id, probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(10)).orElseThrow();
  }

  private static List<ExperimentState> states(List<ExperimentEvent> events) {
    return events.stream().filter(ExperimentEvent::hasState).map(e -> e.getState().getState()).toList();
  }

  @Test
  void runsSubmissionsOneAtATimeInOrderAndARepeatedRequestIdGetsTheSameExperiment() throws Exception {
    workers(2, 5);
    ActorRef<ExperimentManager.Command> manager = manager("fifo");
    String first = accepted(manager, "request-1", spec(2, ""));
    ExperimentManager.SubmitReply second = submit(manager, "request-2", spec(1, ""));
    ExperimentManager.SubmitReply again = submit(manager, "request-1", spec(5, ""));

    assertEquals(1, second.accepted().orElseThrow().getQueuePosition());
    assertEquals(first, again.accepted().orElseThrow().getExperimentId());
    assertTrue(again.accepted().get().getDuplicate());

    String secondId = second.accepted().get().getExperimentId();
    List<ExperimentEvent> firstEvents = watchToEnd(manager, first);
    List<ExperimentEvent> secondEvents = watchToEnd(manager, secondId);
    assertEquals(ExperimentState.COMPLETED, states(firstEvents).get(states(firstEvents).size() - 1));
    assertTrue(firstEvents.get(firstEvents.size() - 1).hasResult(), "a completed stream ends with the result");
    Experiment a = get(manager, first);
    Experiment b = get(manager, secondId);
    assertEquals(2, a.getEpochsCount());
    assertEquals(1, b.getEpochsCount());
    assertEquals(ExperimentState.COMPLETED, b.getState());
    assertTrue(b.getStartedAtMs() >= a.getFinishedAtMs(),
        "the second started " + b.getStartedAtMs() + " before the first finished " + a.getFinishedAtMs());
    assertEquals(2, a.getSpec().getNumEpochs(), "the repeated submission did not replace the spec");

    assertEquals(2.0, registry.get("aevlp.cluster.experiments").tag("state", "completed").gauge().value());
    assertEquals(0.0, registry.get("aevlp.cluster.experiments").tag("state", "running").gauge().value());
    assertEquals(2.0, registry.get("aevlp.cluster.workers.alive").gauge().value());

    TestProbe<ListExperimentsResponse> list = testKit.createTestProbe();
    manager.tell(new ExperimentManager.ListExperiments(ListExperimentsRequest.getDefaultInstance(), list.getRef()));
    assertEquals(List.of(secondId, first), list.receiveMessage().getExperimentsList().stream()
        .map(Experiment::getExperimentId).toList(), "newest first");
    manager.tell(new ExperimentManager.ListExperiments(ListExperimentsRequest.newBuilder()
        .addStates(ExperimentState.FAILED).build(), list.getRef()));
    assertEquals(0, list.receiveMessage().getExperimentsCount());
  }

  @Test
  void refusalsNameTheField() throws Exception {
    ActorRef<ExperimentManager.Command> manager = manager("refusals");
    ExperimentSpec badLr = spec(1, "").toBuilder().setLr(-1).build();
    String lr = submit(manager, "", badLr).refusal();
    assertTrue(lr.contains("lr"), lr);
    ExperimentSpec noData = spec(1, "").toBuilder().setDataDir(temp.resolve("missing").toString()).build();
    String dir = submit(manager, "", noData).refusal();
    assertTrue(dir.startsWith("data_dir: ") && dir.contains("missing"), dir);
    ExperimentSpec steps = spec(1, "").toBuilder().setPerWorkerBsize(true).setScaleLr(true).build();
    String every = submit(manager, "", steps).refusal();
    assertTrue(every.startsWith("scale_lr"), every);
    assertEquals(List.of(), RunStore.open(temp.resolve("runs")).ids(), "a refused spec leaves no run behind");
  }

  @Test
  void aLateWatcherGetsTheHistoryInOrder() throws Exception {
    workers(1, 0);
    ActorRef<ExperimentManager.Command> manager = manager("history");
    String id = accepted(manager, "", spec(3, ""));
    watchToEnd(manager, id);
    List<ExperimentEvent> replay = watchToEnd(manager, id);
    assertEquals(List.of(1, 2, 3), replay.stream().filter(ExperimentEvent::hasEpoch)
        .map(e -> e.getEpoch().getEpoch()).toList());
    for (int i = 1; i < replay.size(); i++) {
      assertTrue(replay.get(i).getSequence() > replay.get(i - 1).getSequence(), replay.toString());
    }
    assertEquals(ExperimentState.QUEUED, states(replay).get(0));
    assertTrue(replay.stream().anyMatch(ExperimentEvent::hasProgress), "the latest step progress is replayed");
    assertTrue(replay.get(replay.size() - 1).hasResult());
  }

  @Test
  void cancelStopsAtAStepBoundaryKeepsCheckpointsAndTakesQueuedOnesOutOfTheQueue() throws Exception {
    workers(1, 40);
    ActorRef<ExperimentManager.Command> manager = manager("cancel");
    String running = accepted(manager, "", spec(50, ""));
    String queued = accepted(manager, "", spec(1, ""));
    TestProbe<Optional<CancelResponse>> cancel = testKit.createTestProbe();
    manager.tell(new ExperimentManager.Cancel(queued, cancel.getRef()));
    assertEquals(ExperimentState.CANCELLED, cancel.receiveMessage(Duration.ofSeconds(10)).orElseThrow().getState());

    Path runDir = Path.of(get(manager, running).getRunDir());
    awaitEpochs(runDir, 1);
    manager.tell(new ExperimentManager.Cancel(running, cancel.getRef()));
    assertEquals(ExperimentState.CANCELLED, cancel.receiveMessage(Duration.ofSeconds(30)).orElseThrow().getState());
    Experiment stopped = get(manager, running);
    assertEquals(ExperimentState.CANCELLED, stopped.getState());
    assertTrue(stopped.getEpochsCount() < 50);
    try (var files = Files.list(runDir.resolve("checkpoints"))) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".ckpt")), "checkpoints are kept");
    }
    manager.tell(new ExperimentManager.Cancel(running, cancel.getRef()));
    assertEquals(ExperimentState.CANCELLED, cancel.receiveMessage().orElseThrow().getState(), "cancelling twice");
    manager.tell(new ExperimentManager.Cancel("no-such-run", cancel.getRef()));
    assertFalse(cancel.receiveMessage().isPresent());
    assertEquals(ExperimentState.CANCELLED, get(manager, queued).getState());
  }

  @Test
  void aRestartedManagerResumesTheInterruptedExperimentFromItsCheckpointAndKeepsTheQueue() throws Exception {
    workers(1, 30);
    ActorRef<ExperimentManager.Command> first = manager("before-restart");
    String interrupted = accepted(first, "resume-me", spec(3, ""));
    String waiting = accepted(first, "", spec(1, ""));
    Path runDir = Path.of(get(first, interrupted).getRunDir());
    awaitEpochs(runDir, 1);
    testKit.stop(first, Duration.ofSeconds(10));

    ActorRef<ExperimentManager.Command> second = manager("after-restart");
    ExperimentManager.SubmitReply again = submit(second, "resume-me", spec(3, ""));
    assertEquals(interrupted, again.accepted().orElseThrow().getExperimentId(), "request ids survive a restart");
    List<ExperimentEvent> events = watchToEnd(second, interrupted);
    assertTrue(events.get(events.size() - 1).hasResult(), events.toString());
    List<EpochSampleCount> counts = SampleCountLog.read(runDir);
    assertEquals(List.of(1, 2, 3), counts.stream().map(EpochSampleCount::epoch).toList());
    counts.forEach(c -> assertTrue(c.exactlyOnce() && c.trained() == TRAIN, c.toString()));
    assertEquals(List.of(1, 2, 3), get(second, interrupted).getEpochsList().stream().map(e -> e.getEpoch()).toList());
    assertTrue(journal.contains("worker-0 load WHOLE_REPLICA"), "the resumed run loaded its checkpoint");
    List<ExperimentState> waited = states(watchToEnd(second, waiting));
    assertEquals(List.of(ExperimentState.QUEUED, ExperimentState.RUNNING, ExperimentState.COMPLETED), waited);
  }

  private static void awaitEpochs(Path runDir, int epochs) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (SampleCountLog.read(runDir).size() >= epochs) {
          return;
        }
      } catch (java.io.IOException e) {
        // written atomically; a read racing the rename is retried
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no epoch recorded in " + runDir);
  }
}
