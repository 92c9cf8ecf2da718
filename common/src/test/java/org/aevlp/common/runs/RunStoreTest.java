package org.aevlp.common.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

  private static final String SPEC =
      "{\n  \"name\": \"voc-gpr\",\n  \"num_epochs\": 10,\n  \"lr\": 1e-05\n}\n";

  @TempDir Path root;

  private static EpochRecord epoch(int e, double map, boolean best) {
    return new EpochRecord(e, 0.5 / e, map, 61.5, 42.25, 50.1, 5717, 2, 12.5 * e, best, e % 2, 3);
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void runWrittenThroughItsLifecycleReloadsIdentically() throws IOException {
    RunStore store = RunStore.open(root.resolve("runs"));
    RunStatus queued = RunStatus.queued(1_000);
    RunDirectory run = store.create("exp-0001", SPEC, queued);
    RunStatus running = queued.moveTo(RunState.RUNNING, "", 2_000);
    run.writeStatus(running);
    run.appendEpoch(epoch(1, 70.5, true));
    byte[] first = randomBytes(10_000, 1);
    CheckpointRef c1 = run.writeCheckpoint(1, 300, first);
    run.markBest(c1);
    run.appendEpoch(epoch(2, 69.0, false));
    byte[] second = randomBytes(12_345, 2);
    CheckpointRef c2 = run.writeCheckpoint(2, 600, second);
    RunResult result =
        new RunResult(
            1, 70.5, 68.25, List.of(0.5, 0.75, 1.0), 61.5, 42.25, 50.1, 99.5, "completed", 2);
    run.writeResult(result);
    RunStatus done = running.moveTo(RunState.COMPLETED, "", 3_000);
    run.writeStatus(done);

    StoredRun loaded = RunStore.open(root.resolve("runs")).load("exp-0001").orElseThrow();
    assertEquals("exp-0001", loaded.id());
    assertEquals(SPEC, loaded.specJson());
    assertEquals(new RunStatus(RunState.COMPLETED, "", 1_000, 2_000, 3_000), loaded.status());
    assertEquals(List.of(epoch(1, 70.5, true), epoch(2, 69.0, false)), loaded.epochs());
    assertEquals(Optional.of(result), loaded.result());
    assertEquals(List.of(c1, c2), loaded.checkpoints());
    assertEquals(Optional.of(c1), loaded.best());
    assertEquals(List.of(), loaded.warnings());
    assertArrayEquals(first, Files.readAllBytes(loaded.checkpointFile(c1)));
    assertArrayEquals(second, run.readCheckpoint(c2));
    assertEquals("epoch-0002-step-000000600.ckpt", c2.fileName());
    // the files are plain JSON a person can read
    String epochs = Files.readString(loaded.directory().resolve("epochs.jsonl"));
    assertEquals(2, epochs.lines().count());
    assertTrue(epochs.startsWith("{\"epoch\":1,"), epochs);
  }

  @Test
  void divergedEpochWithNonFiniteValuesRoundTrips() throws IOException {
    RunDirectory run = RunStore.open(root).create("nan", SPEC, RunStatus.queued(1));
    EpochRecord diverged =
        new EpochRecord(
            1, Double.NaN, 0.0, 0.0, 0.0, 0.0, 10, 0, Double.POSITIVE_INFINITY, false, 0, 1);
    run.appendEpoch(diverged);
    EpochRecord back = run.read().epochs().get(0);
    assertTrue(Double.isNaN(back.trainLoss()));
    assertEquals(Double.POSITIVE_INFINITY, back.seconds());
  }

  @Test
  void statusMoveRecordsStartAndFinishTimes() {
    RunStatus queued = RunStatus.queued(10);
    RunStatus running = queued.moveTo(RunState.RUNNING, "", 20);
    RunStatus paused = running.moveTo(RunState.PAUSED, "all workers left", 30);
    RunStatus resumed = paused.moveTo(RunState.RUNNING, "", 40);
    RunStatus failed = resumed.moveTo(RunState.FAILED, "out of memory", 50);
    assertEquals(new RunStatus(RunState.PAUSED, "all workers left", 10, 20, 0), paused);
    assertEquals(20, resumed.startedAtMs());
    assertEquals(new RunStatus(RunState.FAILED, "out of memory", 10, 20, 50), failed);
    assertThrows(IllegalStateException.class, () -> failed.moveTo(RunState.RUNNING, "", 60));
  }

  @Test
  void listingReturnsEveryRunSortedAndIgnoresOtherEntries() throws IOException {
    RunStore store = RunStore.open(root);
    store.create("b-run", "{\"name\":\"b\"}", RunStatus.queued(2));
    store.create("a-run", "{\"name\":\"a\"}", RunStatus.queued(1));
    store.create("c-run", "{\"name\":\"c\"}", RunStatus.queued(3)).appendEpoch(epoch(1, 10, true));
    Files.writeString(root.resolve("notes.txt"), "not a run");
    Files.createDirectory(root.resolve(".hidden"));

    assertEquals(List.of("a-run", "b-run", "c-run"), store.ids());
    List<StoredRun> runs = store.list();
    assertEquals(List.of("a-run", "b-run", "c-run"), runs.stream().map(StoredRun::id).toList());
    assertEquals(List.of(1L, 2L, 3L), runs.stream().map(r -> r.status().submittedAtMs()).toList());
    assertEquals(1, runs.get(2).epochs().size());
    assertEquals("{\"name\":\"b\"}", runs.get(1).specJson());
    assertEquals(Optional.empty(), store.load("no-such-run"));
  }

  @Test
  void leftoversOfACrashedWriterAreNotReadAsValid() throws IOException {
    RunStore store = RunStore.open(root);
    RunDirectory run = store.create("r1", SPEC, RunStatus.queued(5));
    run.appendEpoch(epoch(1, 50, true));
    run.appendEpoch(epoch(2, 55, true));
    CheckpointRef good = run.writeCheckpoint(2, 20, new byte[] {1, 2, 3});
    Path dir = run.path();
    // a writer died while replacing status.json and while writing the next checkpoint
    Files.writeString(dir.resolve(".status.json.5f3a.tmp"), "{\"state\":\"COMPLE");
    Files.write(
        dir.resolve("checkpoints/.epoch-0003-step-000000030.ckpt.77.tmp"), new byte[] {9, 9});
    // something appended half a line to epochs.jsonl (not this store's writer: it rewrites whole)
    Files.writeString(
        dir.resolve("epochs.jsonl"), "{\"epoch\":3,\"trainLoss\":0.1", StandardOpenOption.APPEND);
    // a run whose creation was interrupted before its directory was renamed into place
    Path staging = Files.createDirectory(root.resolve(".r2.abc.creating"));
    Files.writeString(staging.resolve("spec.json"), "{\"na");

    StoredRun loaded = store.load("r1").orElseThrow();
    assertEquals(RunStatus.queued(5), loaded.status());
    assertEquals(List.of(1, 2), loaded.epochs().stream().map(EpochRecord::epoch).toList());
    assertEquals(1, loaded.warnings().size());
    assertTrue(loaded.warnings().get(0).contains("partial last line"), loaded.warnings().get(0));
    assertEquals(List.of(good), loaded.checkpoints());
    assertEquals(List.of("r1"), store.list().stream().map(StoredRun::id).toList());

    // the writer reopening the run clears its temp files and the next append drops the fragment
    RunDirectory reopened = RunStore.open(root).open("r1");
    reopened.appendEpoch(epoch(3, 56, true));
    try (Stream<Path> files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
    try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
      assertEquals(List.of(good.fileName()), files.map(p -> p.getFileName().toString()).toList());
    }
    String text = Files.readString(dir.resolve("epochs.jsonl"));
    assertEquals(3, text.lines().count());
    assertTrue(text.endsWith("\n"));
    StoredRun after = store.load("r1").orElseThrow();
    assertEquals(List.of(1, 2, 3), after.epochs().stream().map(EpochRecord::epoch).toList());
    assertEquals(List.of(), after.warnings());
  }

  @Test
  void damagedFileIsAnErrorNamingItAndListingSkipsThatRun() throws IOException {
    RunStore store = RunStore.open(root);
    store.create("ok", SPEC, RunStatus.queued(1));
    RunDirectory bad = store.create("bad", SPEC, RunStatus.queued(2));
    Path status = bad.path().resolve("status.json");
    byte[] full = Files.readAllBytes(status);
    Files.write(status, Arrays.copyOf(full, full.length / 2)); // truncated in place

    IOException e = assertThrows(IOException.class, () -> store.load("bad"));
    assertTrue(e.getMessage().contains("status.json"), e.getMessage());
    assertEquals(List.of("ok"), store.list().stream().map(StoredRun::id).toList());

    Files.writeString(bad.path().resolve("status.json"), new String(full, StandardCharsets.UTF_8));
    Files.writeString(
        bad.path().resolve("epochs.jsonl"), "{\"epoch\":1}\nnot json\n{\"epoch\":3}\n");
    IOException line = assertThrows(IOException.class, () -> store.load("bad"));
    assertTrue(line.getMessage().contains("epochs.jsonl line 2"), line.getMessage());
  }

  @Test
  void concurrentReadersNeverSeeAPartialFile() throws Exception {
    RunStore store = RunStore.open(root);
    RunDirectory run = store.create("live", SPEC, RunStatus.queued(1));
    int iterations = 60;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();

    Runnable reader =
        () -> {
          try {
            while (!done.get()) {
              StoredRun r = RunStore.open(root).load("live").orElseThrow();
              assertEquals(SPEC, r.specJson());
              String message = r.status().message();
              if (!message.isEmpty()) {
                int i = Integer.parseInt(message.substring(1, message.indexOf(':')));
                assertEquals("m" + i + ":" + "x".repeat(1000 * i), message);
              }
              for (int k = 0; k < r.epochs().size(); k++) {
                assertEquals(k + 1, r.epochs().get(k).epoch());
              }
              assertEquals(List.of(), r.warnings());
              for (CheckpointRef c : r.checkpoints()) {
                byte[] b = Files.readAllBytes(r.checkpointFile(c));
                assertEquals(checkpointSize(c.epoch()), b.length, c.fileName());
                for (byte x : b) {
                  if (x != (byte) c.epoch()) {
                    fail(c.fileName() + " holds a byte of another write: " + x);
                  }
                }
              }
              reads.incrementAndGet();
            }
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          }
        };
    Thread r1 = new Thread(reader, "reader-1");
    Thread r2 = new Thread(reader, "reader-2");
    r1.start();
    r2.start();
    try {
      for (int i = 1; i <= iterations && failure.get() == null; i++) {
        run.writeStatus(
            new RunStatus(RunState.RUNNING, "m" + i + ":" + "x".repeat(1000 * i), 1, 2, 0));
        run.appendEpoch(epoch(i, i, false));
        byte[] bytes = new byte[checkpointSize(i)];
        Arrays.fill(bytes, (byte) i);
        run.writeCheckpoint(i, 10L * i, bytes);
      }
    } finally {
      done.set(true);
      r1.join();
      r2.join();
    }
    if (failure.get() != null) {
      throw new AssertionError("a reader saw an inconsistent file", failure.get());
    }
    assertTrue(reads.get() > 0, "readers ran");
    assertEquals(iterations, store.load("live").orElseThrow().checkpoints().size());
  }

  private static int checkpointSize(int epoch) {
    return 4096 * (1 + epoch % 7);
  }

  @Test
  void streamedCheckpointRoundTrips() throws IOException {
    RunDirectory run = RunStore.open(root).create("big", SPEC, RunStatus.queued(1));
    byte[] data = randomBytes(3 * 1024 * 1024 + 17, 9);
    CheckpointRef ref =
        run.writeCheckpoint(
            4,
            1234,
            out -> {
              for (int off = 0; off < data.length; off += 100_000) {
                out.write(data, off, Math.min(100_000, data.length - off));
              }
            });
    try (InputStream in = run.openCheckpoint(ref)) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @Test
  void writeRulesAreEnforced() throws IOException {
    RunStore store = RunStore.open(root);
    RunDirectory run = store.create("rules", SPEC, RunStatus.queued(1));
    assertThrows(
        FileAlreadyExistsException.class, () -> store.create("rules", SPEC, RunStatus.queued(1)));
    IllegalArgumentException badId =
        assertThrows(
            IllegalArgumentException.class, () -> store.create("../x", SPEC, RunStatus.queued(1)));
    assertTrue(badId.getMessage().contains("run id \"../x\""), badId.getMessage());
    IllegalArgumentException badSpec =
        assertThrows(
            IllegalArgumentException.class, () -> store.create("y", "[1, 2]", RunStatus.queued(1)));
    assertTrue(badSpec.getMessage().contains("specJson"), badSpec.getMessage());

    run.appendEpoch(epoch(1, 10, true));
    run.appendEpoch(epoch(2, 11, true));
    IllegalArgumentException order =
        assertThrows(IllegalArgumentException.class, () -> run.appendEpoch(epoch(2, 12, true)));
    assertTrue(order.getMessage().contains("epoch 2 must come after"), order.getMessage());
    run.truncateEpochsAfter(1);
    run.appendEpoch(epoch(2, 12, true));
    assertEquals(12.0, run.readEpochs().get(1).valMap());

    CheckpointRef best = run.writeCheckpoint(1, 10, new byte[] {1});
    CheckpointRef other = run.writeCheckpoint(2, 20, new byte[] {2});
    assertThrows(IllegalArgumentException.class, () -> run.markBest(new CheckpointRef(3, 30)));
    run.markBest(best);
    assertThrows(IllegalStateException.class, () -> run.deleteCheckpoint(best));
    run.deleteCheckpoint(other);
    assertEquals(List.of(best), run.checkpoints());
    assertTrue(store.open("rules") == run, "one writer per run");
  }

  @Test
  void failedWriteLeavesThePreviousFileAndNoTempFile() throws IOException {
    Path file = root.resolve("status.json");
    AtomicFileWriter.write(file, "old".getBytes(StandardCharsets.UTF_8));
    assertThrows(
        IOException.class,
        () ->
            AtomicFileWriter.write(
                file,
                out -> {
                  out.write("new, half".getBytes(StandardCharsets.UTF_8));
                  throw new IOException("disk full");
                }));
    assertEquals("old", Files.readString(file));
    try (Stream<Path> files = Files.list(root)) {
      assertEquals(List.of(file), files.toList());
    }
  }
}
