package org.aevlp.coordinator.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aevlp.common.cluster.WorkerProtocol.StatePart;
import org.aevlp.common.cluster.WorkerProtocol.TensorEndpoint;
import org.aevlp.common.data.SpmlDataset;
import org.aevlp.common.runs.CheckpointRef;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around checkpoints, with the real runner and workers that fake the DJL work: a worker
 * that dies while it publishes the state to checkpoint, and a run directory that stops being
 * writable. Neither may leave a half-written checkpoint that anything loads.
 */
class RunnerFaultsTest {

  private static final int CLASSES = 10;
  private static final int TRAIN = 24;
  @TempDir Path temp;
  private ActorTestKit testKit;
  private TensorStore store;
  private final Queue<String> journal = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() {
    testKit = RunnerTestKit.joinedCluster("faults-test");
    store = TensorStore.open();
  }

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
    store.close();
  }


  /** Completes with "completed" or "failed: reason". */
  private static final class Ending implements RunListener {
    final CompletableFuture<String> ended = new CompletableFuture<>();
    final List<Integer> epochs = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onCompleted(RunResult result) {
      ended.complete("completed");
    }

    @Override
    public void onFailed(String reason) {
      ended.complete("failed: " + reason);
    }

    @Override
    public void onEpoch(org.aevlp.common.runs.EpochRecord record, EpochSampleCount samples) {
      epochs.add(record.epoch());
    }
  }

  private RunDirectory startRunner(String id, int epochs, RunListener listener) throws Exception {
    return startRunner(id, epochs, listener, RunnerSettings.defaults(Optional.empty())
        .withPauseTimeout(Duration.ofSeconds(30)));
  }

  private RunDirectory startRunner(String id, int epochs, RunListener listener, RunnerSettings settings)
      throws Exception {
    return startRunner(id, epochs, listener, settings, temp.resolve("runs"));
  }

  private RunDirectory startRunner(String id, int epochs, RunListener listener, RunnerSettings settings,
      Path runRoot) throws Exception {
    ExperimentSpec spec = SpecLoader.builtIn().load("""
        {"dataset": "synthetic", "data_dir": "/nowhere", "arch": "resnet18-narrow", "use_pretrained": false,
         "bsize": 6, "num_epochs": %d, "loss": "full_loss", "early_stop": false, "seed": 7}
        """.formatted(epochs), "test").spec();
    SpmlDataset dataset = RunnerTestKit.dataset(temp, TRAIN, CLASSES);
    RunDirectory run = RunStore.open(runRoot).create(id, SpecJson.toJson(spec),
        RunStatus.queued(System.currentTimeMillis()));
    testKit.spawn(ExperimentRunner.create(new ExperimentRunner.RunnerInputs(id, spec, SpecJson.toJson(spec), dataset,
        run, store, new TensorEndpoint("127.0.0.1", 1, store.id()), settings, listener, Optional.empty())),
        "runner-" + id);
    return run;
  }

  @Test
  void aWorkerDyingWhileItPublishesTheCheckpointStateIsReplacedAndTheCheckpointIsWhole() throws Exception {
    AtomicBoolean someoneDied = new AtomicBoolean();
    for (String name : List.of("first", "second")) {
      testKit.spawn(FakeWorker.create(store, CLASSES, journal, 0, new FakeWorker.Faults(m -> false, m -> false,
          publish -> publish.part() == StatePart.WHOLE_REPLICA && someoneDied.compareAndSet(false, true), m -> false)),
          name);
    }
    Ending ending = new Ending();
    RunDirectory run = startRunner("publish", 2, ending);
    assertEquals("completed", ending.ended.get(60, TimeUnit.SECONDS), String.join("\n", journal));

    assertTrue(journal.stream().anyMatch(l -> l.endsWith(" dies at publish WHOLE_REPLICA")), String.join("\n", journal));
    assertTrue(journal.stream().anyMatch(l -> l.endsWith(" publish WHOLE_REPLICA")),
        "the surviving worker published instead:\n" + String.join("\n", journal));
    assertEquals(List.of(1, 2), ending.epochs);
    for (CheckpointRef checkpoint : run.checkpoints()) {
      assertEquals(FakeWorker.PARAMETERS * Float.BYTES, run.readCheckpoint(checkpoint).length,
          "a whole checkpoint: " + checkpoint.fileName());
    }
    try (var files = Files.list(run.path().resolve("checkpoints"))) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".tmp")), "no temporary file is left");
    }
  }

  @Test
  void anUnwritableRunDirectoryFailsTheRunWithTheReasonAndKeepsEarlierCheckpoints() throws Exception {
    testKit.spawn(FakeWorker.create(store, CLASSES, journal, m -> false, 20), "steady");
    Ending ending = new Ending();
    RunDirectory run = startRunner("unwritable", 3, ending);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (ending.epochs.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    // a regular file where the checkpoint directory was: every later write fails, even for root
    Path checkpoints = run.path().resolve("checkpoints");
    Path moved = run.path().resolve("checkpoints-before-the-fault");
    Files.move(checkpoints, moved);
    Files.writeString(checkpoints, "not a directory");
    byte[] before;
    try (var files = Files.list(moved)) {
      Path first = files.filter(f -> f.getFileName().toString().endsWith(".ckpt")).findFirst().orElseThrow();
      before = Files.readAllBytes(first);
    }

    String outcome = ending.ended.get(60, TimeUnit.SECONDS);
    assertTrue(outcome.startsWith("failed: cannot write a checkpoint in epoch 2: ") && outcome.contains(
        checkpoints.toString()), outcome);
    assertEquals(RunState.FAILED, run.read().status().state());
    assertTrue(run.read().status().message().contains("cannot write a checkpoint"), run.read().status().message());
    try (var files = Files.list(moved)) {
      Path first = files.filter(f -> f.getFileName().toString().endsWith(".ckpt")).findFirst().orElseThrow();
      assertArrayEquals(before, Files.readAllBytes(first), "the epoch-1 checkpoint is intact");
    }
  }

  @Test
  void aFullDiskFailsTheRunWithTheReasonAndKeepsEarlierCheckpoints() throws Exception {
    Path disk = Files.createDirectories(temp.resolve("disk"));
    mountSmallTmpfs(disk);
    try {
      testKit.spawn(FakeWorker.create(store, CLASSES, journal, m -> false, 20), "steady");
      Ending ending = new Ending();
      RunDirectory run = startRunner("full-disk", 3, ending, RunnerSettings.defaults(Optional.empty())
          .withPauseTimeout(Duration.ofSeconds(30)), disk.resolve("runs"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (ending.epochs.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Path checkpoint = run.path().resolve("checkpoints").resolve(run.checkpoints().get(0).fileName());
      byte[] before = Files.readAllBytes(checkpoint);
      fillUp(disk.resolve("filler"));

      String outcome = ending.ended.get(60, TimeUnit.SECONDS);
      assertTrue(outcome.startsWith("failed: ") && outcome.contains("No space left on device"), outcome);
      assertEquals(List.of(1), ending.epochs, "no epoch after the disk filled up is recorded");
      assertArrayEquals(before, Files.readAllBytes(checkpoint), "the epoch-1 checkpoint is intact");
      try (var files = Files.walk(run.path())) {
        assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
      }
    } finally {
      new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A 1 MiB tmpfs: a disk that really fills up. Skips, saying why, where mounting is not allowed. */
  private static void mountSmallTmpfs(Path at) throws Exception {
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", at.toString())
        .redirectErrorStream(true).start();
    String output = new String(mount.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    boolean mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
    Assumptions.assumeTrue(mounted,
        "the full-disk test mounts a 1 MiB tmpfs, which needs root with CAP_SYS_ADMIN: " + output.strip());
  }

  /** Writes until the file system refuses with "No space left on device". */
  private static void fillUp(Path filler) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      assertTrue(String.valueOf(e.getMessage()).contains("No space left on device"), e.toString());
    }
  }

  @Test
  void aWorkerThatStaysAliveButNeverAnswersIsTakenOutAfterTheAnswerTimeout() throws Exception {
    testKit.spawn(FakeWorker.create(store, CLASSES, journal, 10, new FakeWorker.Faults(m -> false,
        m -> m.epoch() == 1 && m.step() == 1 && m.attempt() == 0, p -> false, m -> false)), "hung");
    testKit.spawn(FakeWorker.create(store, CLASSES, journal, m -> false, 10), "steady");
    Ending ending = new Ending();
    RunDirectory run = startRunner("hung", 2, ending, RunnerSettings.defaults(Optional.empty())
        .withPauseTimeout(Duration.ofSeconds(30)).withWorkersToStart(2).withAnswerTimeout(Duration.ofMillis(500)));
    assertEquals("completed", ending.ended.get(60, TimeUnit.SECONDS), String.join("\n", journal));

    assertTrue(journal.stream().anyMatch(l -> l.startsWith("hung hangs at 1/1/")), String.join("\n", journal));
    assertTrue(journal.stream().anyMatch(l -> l.matches("steady run 1/1/\\d attempt 1")),
        "the hung worker's micro-batch was re-run:\n" + String.join("\n", journal));
    assertTrue(journal.stream().noneMatch(l -> l.startsWith("hung run 2/")), "the hung worker stays out");
    for (EpochSampleCount count : SampleCountLog.read(run.path())) {
      assertTrue(count.exactlyOnce() && count.trained() == TRAIN, count.toString());
    }
  }

  @Test
  void aNanLossFailsTheRunAtOnceSayingWhere() throws Exception {
    testKit.spawn(FakeWorker.create(store, CLASSES, journal, 0, new FakeWorker.Faults(m -> false, m -> false,
        p -> false, m -> m.epoch() == 1 && m.step() == 2)), "diverging");
    Ending ending = new Ending();
    RunDirectory run = startRunner("nan", 3, ending);
    String outcome = ending.ended.get(60, TimeUnit.SECONDS);
    assertEquals("failed: training diverged: the loss of epoch 1 step 3 is NaN (lower lr, or check the data and the"
        + " loss parameters)", outcome);
    assertTrue(journal.stream().noneMatch(l -> l.startsWith("diverging run 1/3/")), "no step after the NaN one");
    assertEquals(RunState.FAILED, run.read().status().state());
  }
}
