package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.runs.RunStore;
import org.aevlp.common.runs.StoredRun;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.SampleCountLog;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentEvent;
import org.aevlp.proto.v1.ExperimentServiceGrpc;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.GetExperimentRequest;
import org.aevlp.proto.v1.ListExperimentsRequest;
import org.aevlp.proto.v1.SubmitRequest;
import org.aevlp.proto.v1.WatchRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator restart, across processes: coordinator and two workers as separate JVMs on
 * loopback, an experiment submitted through ExperimentService and a second one queued behind it.
 * The coordinator JVM is killed (SIGKILL) in the middle of epoch 2. The workers leave on their own
 * (their side of the cluster lost the coordinator); a supervisor would restart them, and the test
 * does what a supervisor does: it starts a coordinator over the same run store and two workers.
 * The interrupted experiment must resume from its epoch-1 checkpoint and complete with every
 * training sample counted once per epoch, the queued one must then run, and the request id must
 * still find the first experiment.
 */
class KilledCoordinatorProcessTest {

  static final int EPOCHS = 3;

  @TempDir Path temp;
  private final List<ChildJvm> children = new ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(ChildJvm::close);
  }

  /** Starts a coordinator whose ExperimentService takes a free port, printed in its log. */
  private ChildJvm coordinator(Path runs, int port, String log) throws Exception {
    ChildJvm jvm = ChildJvm.start(List.of("coordinator", "--run-dir", runs.toString(), "--port", Integer.toString(port),
        "--grpc-port", "0", "--tensor-port", "0", "--metrics-port", "0",
        "--pause-timeout", "300",
        "--workers-to-start", "2"), 1, temp.resolve(log));
    children.add(jvm);
    return jvm;
  }

  private List<ChildJvm> workers(int seedPort, String logPrefix) throws Exception {
    List<ChildJvm> started = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      ChildJvm jvm = ChildJvm.start(List.of("worker", "--seed-nodes", "127.0.0.1:" + seedPort, "--threads", "1",
          "--decoder-threads", "1", "--metrics-port", "0"), 1, temp.resolve(logPrefix + "-" + i + ".log"));
      children.add(jvm);
      started.add(jvm);
    }
    return started;
  }

  @Test
  void aKilledAndRestartedCoordinatorResumesTheRunFromItsCheckpointAndKeepsTheQueue() throws Exception {
    Path data = ClusterTestData.dataset(temp.resolve("data"));
    var spec = ClusterTestData.spec(ClusterTestData.specJson(data, EPOCHS, ""));
    Path runs = temp.resolve("runs");

    int port = LoopbackCluster.freePort();
    ChildJvm first = coordinator(runs, port, "coordinator-1.log");
    List<ChildJvm> firstWorkers = workers(port, "worker-a");
    ManagedChannel channel = channelWhenServing(first);
    String id;
    String queued;
    try {
      var client = ExperimentServiceGrpc.newBlockingStub(channel);
      id = client.submit(SubmitRequest.newBuilder().setRequestId("restart-me").setSpec(spec).build())
          .getExperimentId();
      queued = client.submit(SubmitRequest.newBuilder().setRequestId("queued").setSpec(
          spec.toBuilder().setNumEpochs(1)).build()).getExperimentId();
      Iterator<ExperimentEvent> events = client.withDeadlineAfter(10, TimeUnit.MINUTES)
          .watch(WatchRequest.newBuilder().setExperimentId(id).build());
      while (true) {
        ExperimentEvent event = events.next();
        if (event.hasProgress() && event.getProgress().getEpoch() == 2 && event.getProgress().getStep() >= 5) {
          break;
        }
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    first.kill();
    long killedAt = System.nanoTime();
    for (ChildJvm worker : firstWorkers) {
      assertTrue(worker.waitFor(120) >= 0, "a worker did not stop after losing its coordinator:\n"
          + Files.readString(worker.log()));
    }
    assertEquals(RunState.RUNNING, RunStore.open(runs).load(id).orElseThrow().status().state(),
        "the killed coordinator left the run RUNNING on disk");

    int newPort = LoopbackCluster.freePort();
    ChildJvm second = coordinator(runs, newPort, "coordinator-2.log");
    workers(newPort, "worker-b");
    channel = channelWhenServing(second);
    try {
      var client = ExperimentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.MINUTES);
      assertEquals(id, client.submit(SubmitRequest.newBuilder().setRequestId("restart-me").setSpec(spec).build())
          .getExperimentId(), "the request id still finds the experiment after the restart");
      List<ExperimentEvent> resumed = new ArrayList<>();
      long[] firstStepAt = {0};
      client.watch(WatchRequest.newBuilder().setExperimentId(id).build()).forEachRemaining(event -> {
        if (event.hasProgress() && firstStepAt[0] == 0) {
          firstStepAt[0] = System.nanoTime();
        }
        resumed.add(event);
      });
      System.out.printf("coordinator killed in epoch 2; the restarted one trained again %.1f s after the kill"
          + " (JVM starts of a coordinator and two workers included)%n", (firstStepAt[0] - killedAt) / 1e9);
      assertTrue(resumed.get(resumed.size() - 1).hasResult(), "ended without a result: " + resumed);
      client.watch(WatchRequest.newBuilder().setExperimentId(queued).build()).forEachRemaining(e -> { });
      Experiment done = client.get(GetExperimentRequest.newBuilder().setExperimentId(id).build());
      assertEquals(ExperimentState.COMPLETED, done.getState());
      assertEquals(List.of(1, 2, 3), done.getEpochsList().stream().map(e -> e.getEpoch()).toList());
      assertEquals(ExperimentState.COMPLETED, client.get(GetExperimentRequest.newBuilder().setExperimentId(queued)
          .build()).getState(), "the queued experiment ran after the resumed one");
      assertEquals(2, client.list(ListExperimentsRequest.newBuilder().addStates(ExperimentState.COMPLETED).build())
          .getExperimentsCount());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    String log = Files.readString(second.log());
    assertTrue(log.contains("resumes after epoch 1"), "resumed from the epoch-1 checkpoint:\n" + log);
    StoredRun run = RunStore.open(runs).load(id).orElseThrow();
    List<EpochSampleCount> counts = SampleCountLog.read(run.directory());
    assertEquals(List.of(1, 2, 3), counts.stream().map(EpochSampleCount::epoch).toList());
    for (EpochSampleCount count : counts) {
      assertTrue(count.exactlyOnce() && count.trained() == 480, count.toString());
    }
    assertEquals(List.of(1, 2, 3), run.epochs().stream().map(EpochRecord::epoch).toList());
    double resumedMap = run.result().orElseThrow().testMap();
    double uninterrupted = ClusterTestData.uninterruptedMap(temp.resolve("reference-runs"),
        ClusterTestData.specJson(data, EPOCHS, ""));
    System.out.printf("test mAP after the restart %.2f, uninterrupted %.2f%n", resumedMap, uninterrupted);
    assertEquals(uninterrupted, resumedMap, KilledWorkerProcessTest.MAP_TOLERANCE);
  }

  /** A channel to the coordinator's ExperimentService (port read from its log) once it is SERVING. */
  private static ManagedChannel channelWhenServing(ChildJvm coordinator) throws Exception {
    ClusterTestData.awaitLine(coordinator, "ExperimentService on 127.0.0.1:", 120);
    java.util.regex.Matcher found = java.util.regex.Pattern.compile("ExperimentService on 127\\.0\\.0\\.1:(\\d+)")
        .matcher(Files.readString(coordinator.log()));
    assertTrue(found.find());
    int grpcPort = Integer.parseInt(found.group(1));
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
            .check(HealthCheckRequest.newBuilder().setService(ExperimentServiceGrpc.SERVICE_NAME).build());
        return channel;
      } catch (StatusRuntimeException e) {
        if (!coordinator.isAlive()) {
          fail("the coordinator exited:\n" + Files.readString(coordinator.log()));
        }
        Thread.sleep(200);
      }
    }
    fail("the coordinator did not serve within 120 s:\n" + Files.readString(coordinator.log()));
    return channel;
  }
}
