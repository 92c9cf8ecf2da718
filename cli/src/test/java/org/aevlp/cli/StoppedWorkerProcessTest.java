package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStore;
import org.aevlp.common.runs.StoredRun;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.SampleCountLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frozen worker (SIGSTOP) for longer than failure detection, then thawed (SIGCONT), across
 * processes: coordinator and two workers as JVMs on loopback. A stopped JVM sends no heartbeats, so
 * the failure detector and the split-brain resolver take it out like a dead one and its
 * micro-batch is re-run elsewhere. When it runs again it finds itself removed from the cluster and
 * stops: it is cleanly excluded, and whatever it still had in flight is ignored (the runner only
 * takes replies from workers it counts, and gradients carry their attempt). The run completes with
 * every sample once per epoch and a test mAP within {@link KilledWorkerProcessTest#MAP_TOLERANCE}
 * of an uninterrupted run.
 */
class StoppedWorkerProcessTest {

  static final int EPOCHS = 3;
  /** Failure detection: 3 s without heartbeats, 2 s of stable membership, room for a loaded machine. */
  static final double DETECTION_SECONDS = 20;

  @TempDir Path temp;
  private final List<ChildJvm> children = new ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(ChildJvm::close);
  }

  private ChildJvm start(List<String> args, String log) throws Exception {
    ChildJvm jvm = ChildJvm.start(args, 1, temp.resolve(log));
    children.add(jvm);
    return jvm;
  }

  @Test
  void aWorkerFrozenLongerThanFailureDetectionIsExcludedAndTheRunCompletes() throws Exception {
    Path data = ClusterTestData.dataset(temp.resolve("data"));
    String json = ClusterTestData.specJson(data, EPOCHS, "");
    Path specFile = temp.resolve("spec.json");
    Files.writeString(specFile, json);
    int port = LoopbackCluster.freePort();
    Path runs = temp.resolve("runs");
    ChildJvm coordinator = start(List.of("coordinator", "--config", specFile.toString(), "--run-dir", runs.toString(),
        "--run-id", "stopped", "--port", Integer.toString(port), "--grpc-port", "0", "--tensor-port", "0",
        "--metrics-port", "0", "--pause-timeout", "120", "--workers-to-start", "2"), "coordinator.log");
    List<String> worker = List.of("worker", "--seed-nodes", "127.0.0.1:" + port, "--threads", "1",
        "--decoder-threads", "1", "--metrics-port", "0");
    start(worker, "worker-1.log");
    ChildJvm frozen = start(worker, "worker-2.log");

    ClusterTestData.awaitLine(coordinator, "epoch 1/" + EPOCHS + " step 10/", 300);
    LocalTime stoppedAt = LocalTime.now();
    frozen.suspend();
    ClusterTestData.awaitLine(coordinator, " is out: ", 120);
    Thread.sleep(3_000);
    frozen.resume();
    int frozenExit = frozen.waitFor(120);
    assertTrue(frozenExit >= 0, "the thawed worker did not leave:\n" + Files.readString(frozen.log()));

    int exit = coordinator.waitFor(600);
    String log = Files.readString(coordinator.log());
    assertEquals(0, exit, "coordinator exit code; its log:\n" + log);
    StoredRun run = RunStore.open(runs).load("stopped").orElseThrow();
    assertEquals(RunState.COMPLETED, run.status().state());
    List<EpochSampleCount> counts = SampleCountLog.read(runs.resolve("stopped"));
    assertEquals(EPOCHS, counts.size());
    for (EpochSampleCount count : counts) {
      assertTrue(count.exactlyOnce() && count.trained() == 480, count + "\n" + log);
    }
    assertEquals(1, run.epochs().get(EPOCHS - 1).workers(), "the thawed worker did not come back into training");
    String outLine = log.lines().filter(line -> line.contains(" is out: ")).findFirst().orElseThrow();
    double detectionSeconds = Duration.between(stoppedAt, LocalTime.parse(outLine.substring(0, 12))).toMillis() / 1e3;
    assertTrue(detectionSeconds < DETECTION_SECONDS, "the freeze was noticed after " + detectionSeconds + " s");

    double stoppedMap = run.result().orElseThrow().testMap();
    double uninterrupted = ClusterTestData.uninterruptedMap(temp.resolve("reference-runs"), json);
    System.out.printf("freeze noticed after %.1f s; test mAP %.2f, uninterrupted %.2f; re-run micro-batches %d%n",
        detectionSeconds, stoppedMap, uninterrupted, counts.stream().mapToInt(EpochSampleCount::microbatchesRerun).sum());
    assertEquals(uninterrupted, stoppedMap, KilledWorkerProcessTest.MAP_TOLERANCE);
  }
}
