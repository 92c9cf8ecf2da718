package org.aevlp.coordinator.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.cluster.WorkerProtocol.TensorEndpoint;
import org.aevlp.common.data.SpmlDataset;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunDirectory;
import org.aevlp.common.runs.RunResult;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStatus;
import org.aevlp.common.runs.RunStore;
import org.aevlp.common.spec.SpecJson;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.common.tensor.TensorStore;
import org.aevlp.proto.v1.ExperimentSpec;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's bookkeeping with fake workers: re-runs, joins, pauses. */
class ExperimentRunnerTest {

  private static final int CLASSES = 10;
  private static final int TRAIN = 24;

  @TempDir Path temp;
  private ActorTestKit testKit;
  private TensorStore store;
  private final Queue<String> journal = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() {
    testKit = RunnerTestKit.joinedCluster("runner-test");
    store = TensorStore.open();
  }

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
    store.close();
  }


  /** Listener that completes when the run ends. */
  private static class Ending implements RunListener {
    final CompletableFuture<String> ended = new CompletableFuture<>();
    final List<StepProgress> steps = new ArrayList<>();

    @Override
    public void onStep(StepProgress progress) {
      steps.add(progress);
    }

    @Override
    public void onCompleted(RunResult result) {
      ended.complete("completed");
    }

    @Override
    public void onFailed(String reason) {
      ended.complete("failed: " + reason);
    }
  }

  private RunDirectory startRunner(String id, int epochs, Duration pauseTimeout, RunListener listener)
      throws Exception {
    ExperimentSpec spec = spec(epochs, "");
    RunDirectory run = RunStore.open(temp.resolve("runs")).create(id, SpecJson.toJson(spec),
        RunStatus.queued(System.currentTimeMillis()));
    spawnRunner(id, "runner-" + id, spec, run, pauseTimeout, listener, Optional.empty());
    return run;
  }

  private static ExperimentSpec spec(int epochs, String extra) throws Exception {
    return SpecLoader.builtIn().load("""
        {"dataset": "synthetic", "data_dir": "/nowhere", "arch": "resnet18-narrow", "use_pretrained": false,
         "bsize": 6, "num_epochs": %d, "loss": "full_loss", "early_stop": false, "seed": 7%s}
        """.formatted(epochs, extra), "test").spec();
  }

  private org.apache.pekko.actor.typed.ActorRef<ExperimentRunner.Message> spawnRunner(String id, String name,
      ExperimentSpec spec, RunDirectory run, Duration pauseTimeout, RunListener listener,
      Optional<ResumePoint> resume) {
    SpmlDataset dataset = RunnerTestKit.dataset(temp, TRAIN, CLASSES);
    RunnerSettings settings = RunnerSettings.defaults(Optional.empty()).withPauseTimeout(pauseTimeout)
        .withWorkersToStart(1);
    return testKit.spawn(ExperimentRunner.create(new ExperimentRunner.RunnerInputs(id, spec, SpecJson.toJson(spec),
        dataset, run, store, new TensorEndpoint("127.0.0.1", 1, store.id()), settings, listener, resume)), name);
  }

  @Test
  void aRunResumedFromAMidEpochCheckpointFinishesThatEpochCountingEverySampleOnce() throws Exception {
    testKit.spawn(FakeWorker.create(store, CLASSES, journal, m -> false, 30), "steady");
    ExperimentSpec spec = spec(2, ", \"checkpoint_every_steps\": 2");
    RunDirectory run = RunStore.open(temp.resolve("runs")).create("mid", SpecJson.toJson(spec),
        RunStatus.queued(System.currentTimeMillis()));
    var first = spawnRunner("mid", "runner-mid-1", spec, run, Duration.ofSeconds(30), RunListener.NONE,
        Optional.empty());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Optional<MidEpochCheckpoint> mid = Optional.empty();
    while (mid.isEmpty() && System.nanoTime() < deadline) {
      try {
        mid = MidEpochCheckpoint.read(run.path()).filter(m -> m.epoch() == 2);
      } catch (java.io.IOException e) {
        // replaced atomically; a read racing the rename is retried
      }
      Thread.sleep(5);
    }
    testKit.stop(first, Duration.ofSeconds(10));
    assertTrue(mid.isPresent(), "no mid-epoch checkpoint in epoch 2");

    ResumePoint point = ResumePoint.of(run).orElseThrow();
    MidEpochCheckpoint resumed = point.midEpoch().orElseThrow();
    assertEquals(2, resumed.epoch());
    assertTrue(resumed.step() == 2, "steps of epoch 2 done before the stop: " + resumed.step());
    assertEquals(List.of(1), point.epochs().stream().map(EpochRecord::epoch).toList());
    journal.clear();
    Ending ending = new Ending();
    spawnRunner("mid", "runner-mid-2", spec, run, Duration.ofSeconds(30), ending, Optional.of(point));
    assertEquals("completed", ending.ended.get(60, TimeUnit.SECONDS), String.join("\n", journal));

    List<String> lines = List.copyOf(journal);
    int load = lines.indexOf("steady load WHOLE_REPLICA");
    assertTrue(load >= 0, "the resumed run loads the mid-epoch checkpoint:\n" + String.join("\n", lines));
    // the first runner may still have had step 2/2 in flight when it stopped: count after the load
    assertEquals(List.of("steady run 2/2/0 attempt 0", "steady run 2/3/0 attempt 0"),
        lines.subList(load, lines.size()).stream().filter(l -> l.startsWith("steady run 2/")).toList(),
        "only the two steps after the checkpoint are run again:\n" + String.join("\n", lines));
    List<EpochSampleCount> counts = SampleCountLog.read(run.path());
    assertEquals(List.of(1, 2), counts.stream().map(EpochSampleCount::epoch).toList());
    counts.forEach(c -> assertTrue(c.exactlyOnce() && c.trained() == TRAIN, c.toString()));
    assertTrue(MidEpochCheckpoint.read(run.path()).isEmpty(), "the epoch end retires the mid-epoch checkpoint");
    List<EpochRecord> epochs = run.readEpochs();
    assertTrue(run.checkpoints().stream().allMatch(c -> epochs.stream().anyMatch(e -> e.epoch() == c.epoch()
        && c.step() == 4L * e.epoch())), "only epoch-end checkpoints remain: " + run.checkpoints());
  }

  @Test
  void deadWorkersMicroBatchIsRerunOnceAndEverySampleCountsOncePerEpoch() throws Exception {
    testKit.spawn(FakeWorker.create(store, CLASSES, journal, m -> false), "steady");
    testKit.spawn(FakeWorker.create(store, CLASSES, journal, m -> m.epoch() == 1 && m.step() == 2), "doomed");
    Ending ending = new Ending();
    RunDirectory run = startRunner("rerun", 2, Duration.ofSeconds(30), ending);
    assertEquals("completed", ending.ended.get(60, TimeUnit.SECONDS), String.join("\n", journal));

    List<EpochSampleCount> counts = SampleCountLog.read(run.path());
    assertEquals(2, counts.size());
    for (EpochSampleCount count : counts) {
      assertEquals(TRAIN, count.trained(), count.toString());
      assertTrue(count.exactlyOnce(), count.toString());
    }
    assertEquals(1, counts.get(0).microbatchesRerun());
    assertTrue(journal.stream().anyMatch(line -> line.matches("steady run 1/2/\\d attempt 1")),
        String.join("\n", journal));
    List<EpochRecord> epochs = run.readEpochs();
    assertEquals(2, epochs.get(0).workers());
    assertEquals(1, epochs.get(1).workers());
    assertEquals(RunState.COMPLETED, run.read().status().state());
  }

  @Test
  void aWorkerJoiningMidRunLoadsTheStateBeforeItsFirstMicroBatch() throws Exception {
    testKit.spawn(FakeWorker.create(store, CLASSES, journal, m -> false, 100), "first");
    Ending ending = new Ending() {
      @Override
      public void onStep(StepProgress progress) {
        super.onStep(progress);
        if (progress.epoch() == 1 && progress.step() == 1) {
          testKit.spawn(FakeWorker.create(store, CLASSES, journal, m -> false, 100), "late");
        }
      }
    };
    startRunner("join", 3, Duration.ofSeconds(30), ending);
    assertEquals("completed", ending.ended.get(60, TimeUnit.SECONDS), String.join("\n", journal));
    List<String> late = journal.stream().filter(line -> line.startsWith("late ")).toList();
    int load = late.indexOf("late load WHOLE_REPLICA");
    int firstRun = late.stream().filter(line -> line.startsWith("late run")).findFirst().map(late::indexOf)
        .orElse(-1);
    assertTrue(load >= 0 && firstRun > load, late.toString());
    assertTrue(journal.contains("first publish WHOLE_REPLICA"), String.join("\n", journal));
    assertTrue(ending.steps.stream().anyMatch(s -> s.workers() == 2), ending.steps.toString());
  }

  @Test
  void withoutWorkersTheRunPausesAndFailsAfterTheTimeoutWithTheReason() throws Exception {
    Ending ending = new Ending();
    RunDirectory run = startRunner("alone", 1, Duration.ofMillis(500), ending);
    String outcome = ending.ended.get(30, TimeUnit.SECONDS);
    assertTrue(outcome.startsWith("failed: no live worker for 0.5 s (pause timeout)"), outcome);
    assertEquals(RunState.FAILED, run.read().status().state());
    assertTrue(run.read().status().message().contains("pause timeout"));
  }

  @Test
  void losingTheLastWorkerPausesTheRunAndANewWorkerRestartsTheEpoch() throws Exception {
    testKit.spawn(FakeWorker.create(store, CLASSES, journal, m -> m.epoch() == 2 && m.step() == 1), "only");
    List<RunState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
    Ending ending = new Ending() {
      @Override
      public void onState(RunState state, String message) {
        states.add(state);
        if (state == RunState.PAUSED) {
          testKit.spawn(FakeWorker.create(store, CLASSES, journal, m -> false), "replacement");
        }
      }
    };
    RunDirectory run = startRunner("paused", 3, Duration.ofSeconds(30), ending);
    assertEquals("completed", ending.ended.get(60, TimeUnit.SECONDS), String.join("\n", journal));
    assertEquals(List.of(RunState.RUNNING, RunState.PAUSED, RunState.RUNNING, RunState.COMPLETED), states);
    assertTrue(journal.contains("replacement load WHOLE_REPLICA"),
        "the replacement starts from the epoch-1 checkpoint:\n" + String.join("\n", journal));
    List<EpochSampleCount> counts = SampleCountLog.read(run.path());
    assertEquals(List.of(1, 2, 3), counts.stream().map(EpochSampleCount::epoch).toList());
    counts.forEach(count -> assertTrue(count.exactlyOnce() && count.trained() == TRAIN, count.toString()));
  }

  @Test
  void specFieldsTheRunnerDoesNotSupportAreRejectedByName() throws Exception {
    ExperimentSpec scaled = SpecLoader.builtIn().load("""
        {"dataset": "synthetic", "data_dir": "/nowhere", "per_worker_bsize": true, "scale_lr": true}
        """, "test").spec();
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> ExperimentRunner.requireSupported(scaled));
    assertTrue(e.getMessage().startsWith("scale_lr:"), e.getMessage());
  }
}
