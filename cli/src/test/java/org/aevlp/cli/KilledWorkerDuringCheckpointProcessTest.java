package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStore;
import org.aevlp.common.runs.StoredRun;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.SampleCountLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker JVM is killed (SIGKILL) while it sends the coordinator the state the coordinator is
 * about to write as the epoch-1 checkpoint. The network is the full-width ResNet-18 so that the
 * state (parameters, BatchNorm statistics and both Adam moments, about 134 MB) takes long enough
 * to send that the kill, triggered by the worker's own "publishing" line, lands inside the transfer.
 * The other worker must publish instead, every checkpoint file must be whole (the same size, no
 * temporary file left), the run must complete with every sample once per epoch, and its test mAP
 * must stay within {@link KilledWorkerProcessTest#MAP_TOLERANCE} of an uninterrupted run.
 */
class KilledWorkerDuringCheckpointProcessTest {

  private static final int EPOCHS = 3;
  private static final String PUBLISHING = "publishing the whole replica for a checkpoint";

  @TempDir Path temp;
  private final List<ChildJvm> children = new java.util.ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(ChildJvm::close);
  }

  @Test
  void aWorkerKilledWhileItSendsTheCheckpointStateIsReplacedAndEveryCheckpointIsWhole() throws Exception {
    Path data = ClusterTestData.dataset(temp.resolve("data"));
    String json = """
        {"name": "checkpoint-kill-test", "dataset": "synthetic", "data_dir": "%s", "arch": "resnet18",
         "use_pretrained": false, "image_size": 32, "bsize": 16, "ss_frac_train": 0.25, "num_epochs": %d,
         "lr": 1e-3, "lr_mult": 1, "loss": "full_loss", "early_stop": false, "seed": 1200}
        """.formatted(data.toAbsolutePath(), EPOCHS);
    Path specFile = temp.resolve("spec.json");
    Files.writeString(specFile, json);
    int port = LoopbackCluster.freePort();
    Path runs = temp.resolve("runs");
    ChildJvm coordinator = start(List.of("coordinator", "--config", specFile.toString(), "--run-dir",
        runs.toString(), "--run-id", "ckpt-kill", "--port", Integer.toString(port), "--grpc-port", "0",
        "--tensor-port", "0", "--pause-timeout", "120", "--workers-to-start", "2", "--metrics-port", "0"),
        "coordinator.log");
    List<String> worker = List.of("worker", "--seed-nodes", "127.0.0.1:" + port, "--threads", "1",
        "--decoder-threads", "1", "--metrics-port", "0");
    List<ChildJvm> workers = List.of(start(worker, "worker-1.log"), start(worker, "worker-2.log"));

    ChildJvm publisher = awaitFirstPublisher(workers, 600);
    LocalTime killedAt = LocalTime.now();
    publisher.kill();
    int exit = coordinator.waitFor(600);
    String log = Files.readString(coordinator.log());
    assertEquals(0, exit, "coordinator exit code; its log:\n" + log);
    assertTrue(log.contains("left while publishing the checkpoint state; asking "),
        "the kill landed inside the state transfer and the other worker published instead:\n" + log);

    String askedLine = log.lines().filter(line -> line.contains("left while publishing")).findFirst().orElseThrow();
    double recoverySeconds = Duration.between(killedAt, LocalTime.parse(askedLine.substring(0, 12))).toMillis() / 1e3;
    assertTrue(recoverySeconds < KilledWorkerProcessTest.DETECTION_SECONDS,
        "the other worker was asked " + recoverySeconds + " s after the kill");

    StoredRun run = RunStore.open(runs).load("ckpt-kill").orElseThrow();
    assertEquals(RunState.COMPLETED, run.status().state());
    List<EpochSampleCount> counts = SampleCountLog.read(runs.resolve("ckpt-kill"));
    assertEquals(EPOCHS, counts.size());
    for (EpochSampleCount count : counts) {
      assertTrue(count.exactlyOnce(), count + "\n" + log);
    }
    Path checkpoints = runs.resolve("ckpt-kill").resolve("checkpoints");
    List<Long> sizes;
    try (Stream<Path> files = Files.list(checkpoints)) {
      List<Path> all = files.toList();
      assertTrue(all.stream().noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), all.toString());
      sizes = all.stream().filter(f -> f.getFileName().toString().endsWith(".ckpt"))
          .map(f -> f.toFile().length()).toList();
    }
    // older checkpoints are pruned; the last epoch's is kept
    assertEquals(EPOCHS, run.checkpoints().get(run.checkpoints().size() - 1).epoch(), run.checkpoints().toString());
    assertTrue(!sizes.isEmpty() && sizes.stream().distinct().count() == 1 && sizes.get(0) > 100_000_000L,
        "every checkpoint holds the whole replica: " + sizes);

    double killedMap = run.result().orElseThrow().testMap();
    double uninterrupted = ClusterTestData.uninterruptedMap(temp.resolve("reference-runs"), json);
    System.out.printf("killed while publishing: the other worker asked after %.1f s; test mAP %.2f, uninterrupted"
        + " %.2f; checkpoint bytes %d%n", recoverySeconds, killedMap, uninterrupted, sizes.get(0));
    assertEquals(uninterrupted, killedMap, KilledWorkerProcessTest.MAP_TOLERANCE);
  }

  private ChildJvm start(List<String> args, String logName) throws Exception {
    ChildJvm child = ChildJvm.start(args, 1, temp.resolve(logName));
    children.add(child);
    return child;
  }

  /** The first worker to print that it publishes a checkpoint's state; polled often, the transfer is short. */
  private static ChildJvm awaitFirstPublisher(List<ChildJvm> workers, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      for (ChildJvm worker : workers) {
        if (Files.exists(worker.log()) && Files.readString(worker.log()).contains(PUBLISHING)) {
          return worker;
        }
        if (!worker.isAlive()) {
          fail("a worker ended before any checkpoint:\n" + Files.readString(worker.log()));
        }
      }
      Thread.sleep(2);
    }
    fail("no worker published a checkpoint's state within " + seconds + " s");
    return null;
  }
}
