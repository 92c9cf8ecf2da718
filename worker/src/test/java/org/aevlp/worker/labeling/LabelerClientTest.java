package org.aevlp.worker.labeling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.common.grpc.GrpcServerAssembly;
import org.aevlp.common.grpc.RunningGrpcServer;
import org.aevlp.proto.v1.DampParams;
import org.aevlp.proto.v1.LabelerServiceGrpc;
import org.aevlp.proto.v1.PseudoLabelRow;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.PseudoLabelsResponse;
import org.aevlp.worker.labeling.PseudoLabelSource.PseudoLabelQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LabelerClientTest {

  private static final RetryBackoff FAST = new RetryBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 2);
  private final List<Server> servers = new ArrayList<>();

  /** A labeler that fails its first {@code failures} calls with {@code status}, then labels class 1 positive. */
  private static final class FakeLabeler extends LabelerServiceGrpc.LabelerServiceImplBase {
    final AtomicInteger calls = new AtomicInteger();
    final int failures;
    final Status status;

    FakeLabeler(int failures, Status status) {
      this.failures = failures;
      this.status = status;
    }

    @Override
    public void pseudoLabels(PseudoLabelsRequest request, StreamObserver<PseudoLabelsResponse> response) {
      if (calls.incrementAndGet() <= failures) {
        response.onError(status.asRuntimeException());
        return;
      }
      PseudoLabelsResponse.Builder answer = PseudoLabelsResponse.newBuilder();
      request.getSamplesList().forEach(sample -> answer.addRows(PseudoLabelRow.newBuilder()
          .setIndex(sample.getIndex()).addLabels(0).addLabels(1).addLabels(-1)));
      response.onNext(answer.build());
      response.onCompleted();
    }
  }

  private String serve(FakeLabeler labeler, int port) throws Exception {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(labeler).build()
        .start();
    servers.add(server);
    return "127.0.0.1:" + server.getPort();
  }

  @AfterEach
  void stop() {
    servers.forEach(Server::shutdownNow);
  }

  private static PseudoLabelQuery query() {
    return new PseudoLabelQuery("synthetic", 2, 1200, new int[] {4, 9}, List.of(new float[] {1, 0, 0},
        new float[] {0, 0, 1}), 3, DampParams.getDefaultInstance());
  }

  @Test
  void unavailableLabelerIsRetriedUntilItAnswers() throws Exception {
    FakeLabeler labeler = new FakeLabeler(2, Status.UNAVAILABLE);
    try (LabelerClient client = new LabelerClient(List.of(serve(labeler, 0)), Duration.ofSeconds(5), FAST)) {
      int[][] rows = client.pseudoLabels(query());
      assertArrayEquals(new int[] {0, 1, -1}, rows[1]);
      assertEquals(3, labeler.calls.get());
    }
  }

  @Test
  void aLabelerThatStartsLateIsReachedAndTheCallerWaitsMeanwhile() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (LabelerClient client = new LabelerClient(List.of("127.0.0.1:" + port), Duration.ofSeconds(5), FAST)) {
      CompletableFuture<int[][]> rows = CompletableFuture.supplyAsync(() -> {
        try {
          return client.pseudoLabels(query());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(300);
      assertTrue(!rows.isDone(), "no pseudo-labels can exist before the labeler is up");
      serve(new FakeLabeler(0, Status.OK), port);
      assertEquals(2, rows.get(10, TimeUnit.SECONDS).length);
    }
  }

  @Test
  void aRejectedRequestIsNotRetried() throws Exception {
    FakeLabeler labeler = new FakeLabeler(1, Status.INVALID_ARGUMENT.withDescription("dataset_id: unknown"));
    try (LabelerClient client = new LabelerClient(List.of(serve(labeler, 0)), Duration.ofSeconds(5), FAST)) {
      LabelerException e = assertThrows(LabelerException.class, () -> client.pseudoLabels(query()));
      assertTrue(e.getMessage().contains("dataset_id: unknown"), e.getMessage());
      assertEquals(1, labeler.calls.get());
    }
  }

  @Test
  void callsGoRoundRobinOverTheLabelers() throws Exception {
    FakeLabeler first = new FakeLabeler(0, Status.OK);
    FakeLabeler second = new FakeLabeler(0, Status.OK);
    try (LabelerClient client = new LabelerClient(List.of(serve(first, 0), serve(second, 0)), Duration.ofSeconds(5),
        FAST)) {
      for (int i = 0; i < 4; i++) {
        client.pseudoLabels(query());
      }
    }
    assertEquals(2, first.calls.get());
    assertEquals(2, second.calls.get());
  }

  @Test
  void aClientOnADirectoryWaitsForALabelerAndFollowsTheDirectoryAsLabelersComeAndGo() throws Exception {
    FakeLabeler first = new FakeLabeler(0, Status.OK);
    FakeLabeler second = new FakeLabeler(0, Status.OK);
    String firstAddress = serve(first, 0);
    String secondAddress = serve(second, 0);
    LabelerDirectory directory = new LabelerDirectory();
    AtomicInteger retries = new AtomicInteger();
    try (LabelerClient client = new LabelerClient(directory, Duration.ofSeconds(5), FAST, GrpcSecurity.none(),
        new SimpleMeterRegistry(), retries::incrementAndGet)) {
      CompletableFuture<int[][]> rows = CompletableFuture.supplyAsync(() -> {
        try {
          return client.pseudoLabels(query());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(300);
      assertTrue(!rows.isDone(), "no labeler is known yet, so the call waits");
      directory.replace(List.of(firstAddress));
      assertEquals(2, rows.get(10, TimeUnit.SECONDS).length);
      assertTrue(retries.get() >= 1, "the wait counted as retries: " + retries.get());
      assertEquals(1, first.calls.get());

      directory.replace(List.of(secondAddress));
      client.pseudoLabels(query());
      client.pseudoLabels(query());
      assertEquals(1, first.calls.get(), "a labeler that left gets no more calls");
      assertEquals(2, second.calls.get());
    }
  }

  @Test
  void aDirectoryWaiterCompletesWhenTheFirstLabelerIsKnown() throws Exception {
    LabelerDirectory directory = new LabelerDirectory();
    CompletableFuture<List<String>> waiter = directory.whenAnyKnown();
    directory.replace(List.of());
    assertTrue(!waiter.isDone());
    directory.replace(List.of("10.0.0.2:50061", "10.0.0.1:50061", "10.0.0.2:50061"));
    assertEquals(List.of("10.0.0.1:50061", "10.0.0.2:50061"), waiter.get(1, TimeUnit.SECONDS));
    assertEquals(List.of("10.0.0.1:50061", "10.0.0.2:50061"), directory.whenAnyKnown().getNow(null));
  }

  @Test
  void backoffGrowsGeometricallyUpToItsCap() {
    RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(1000), 2);
    assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L),
        List.of(0, 1, 2, 3, 4, 50).stream().map(a -> backoff.delay(a).toMillis()).toList());
  }

  @Test
  void aDnsTargetWithTheTokenReachesAGuardedLabelerAndNoTokenIsNotRetried() throws Exception {
    FakeLabeler labeler = new FakeLabeler(0, Status.OK);
    GrpcSecurity security = GrpcSecurity.none().withToken("labeler-token");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RunningGrpcServer server = GrpcServerAssembly.start("127.0.0.1", 0, security, registry, List.of(labeler))) {
      String target = "dns:///127.0.0.1:" + server.port();
      try (LabelerClient client = new LabelerClient(List.of(target), Duration.ofSeconds(5), FAST, security, registry)) {
        assertEquals(2, client.pseudoLabels(query()).length);
      }
      try (LabelerClient anonymous = new LabelerClient(List.of(target), Duration.ofSeconds(5), FAST)) {
        LabelerException e = assertThrows(LabelerException.class, () -> anonymous.pseudoLabels(query()));
        assertTrue(e.getMessage().contains("UNAUTHENTICATED"), e.getMessage());
      }
      assertEquals(1, labeler.calls.get());
      assertEquals(1, registry.get("grpc.client.processing.duration").tag("statusCode", "OK").timer().count());
    }
  }

  @Test
  void aTargetThatIsNeitherHostPortNorAGrpcUriIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LabelerClient(List.of("labeler-without-port"), Duration.ofSeconds(5), FAST));
    assertTrue(e.getMessage().contains("dns:///host:port") && e.getMessage().contains("labeler-without-port"),
        e.getMessage());
  }
}
