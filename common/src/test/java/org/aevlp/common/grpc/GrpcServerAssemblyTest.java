package org.aevlp.common.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.aevlp.proto.v1.LabelerServiceGrpc;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.PseudoLabelsResponse;
import org.aevlp.proto.v1.SampleRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class GrpcServerAssemblyTest {

  private static final String TOKEN = "s3cret-Token-4711";
  private static final String WRONG_TOKEN = "guessed-Token-0815";
  private static final PseudoLabelsRequest REQUEST = PseudoLabelsRequest.newBuilder()
      .setDatasetId("synthetic").addSamples(SampleRef.newBuilder().setIndex(7)).build();

  private final List<AutoCloseable> open = new ArrayList<>();
  private final CountingLabeler labeler = new CountingLabeler();
  private final SimpleMeterRegistry serverRegistry = new SimpleMeterRegistry();
  private final SimpleMeterRegistry clientRegistry = new SimpleMeterRegistry();

  @TempDir Path dir;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private RunningGrpcServer serve(GrpcSecurity security) throws IOException {
    RunningGrpcServer server = GrpcServerAssembly.start("127.0.0.1", 0, security, serverRegistry, List.of(labeler));
    open.add(server);
    return server;
  }

  private ManagedChannel connect(String target, GrpcSecurity security) {
    ManagedChannel channel = GrpcChannels.open(target, security, clientRegistry);
    open.add(channel::shutdownNow);
    return channel;
  }

  private static PseudoLabelsResponse call(ManagedChannel channel) {
    return LabelerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).pseudoLabels(REQUEST);
  }

  private static Status.Code failure(ManagedChannel channel) {
    return assertThrows(StatusRuntimeException.class, () -> call(channel)).getStatus().getCode();
  }

  @Test
  void callsWithoutTheRightTokenAreRejectedBeforeReachingTheService() throws IOException {
    GrpcSecurity withToken = GrpcSecurity.none().withToken(TOKEN);
    RunningGrpcServer server = serve(withToken);
    String target = "127.0.0.1:" + server.port();

    StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
        () -> call(connect(target, GrpcSecurity.none())));
    assertEquals(Status.Code.UNAUTHENTICATED, missing.getStatus().getCode());
    assertEquals("missing or invalid bearer token", missing.getStatus().getDescription());
    assertEquals(Status.Code.UNAUTHENTICATED, failure(connect(target, GrpcSecurity.none().withToken(WRONG_TOKEN))));
    assertEquals(Status.Code.UNAUTHENTICATED, failure(connect(target, GrpcSecurity.none().withToken(TOKEN + "x"))));
    assertEquals(0, labeler.served.get());

    PseudoLabelsResponse response = call(connect(target, withToken));
    assertEquals(7, response.getRows(0).getIndex());
    assertEquals(1, labeler.served.get());
  }

  @Test
  void healthAndReflectionAnswerWithoutAToken() throws Exception {
    RunningGrpcServer server = serve(GrpcSecurity.none().withToken(TOKEN));
    ManagedChannel anonymous = connect("localhost:" + server.port(), GrpcSecurity.none());

    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(anonymous).withDeadlineAfter(10, TimeUnit.SECONDS);
    for (String service : List.of("", LabelerServiceGrpc.SERVICE_NAME)) {
      assertEquals(ServingStatus.SERVING,
          health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus(), service);
    }
    assertEquals(Set.of("aevlp.v1.LabelerService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"),
        listServices(anonymous));
  }

  @Test
  void healthTurnsNotServingWhenTheServerShutsDown() throws Exception {
    RunningGrpcServer server = serve(GrpcSecurity.none());
    ManagedChannel channel = connect("127.0.0.1:" + server.port(), GrpcSecurity.none());
    CompletableFuture<ServingStatus> lastStatus = new CompletableFuture<>();
    List<ServingStatus> seen = new ArrayList<>();
    HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(), observer(
        response -> {
          synchronized (seen) {
            seen.add(response.getStatus());
            if (response.getStatus() != ServingStatus.SERVING) {
              lastStatus.complete(response.getStatus());
            }
          }
        },
        error -> lastStatus.completeExceptionally(error)));
    waitUntil(() -> {
      synchronized (seen) {
        return seen.contains(ServingStatus.SERVING);
      }
    });
    // the open watch outlives the grace, so the shutdown ends by cancelling it
    assertFalse(server.shutdown(Duration.ofMillis(200)));
    assertEquals(ServingStatus.NOT_SERVING, lastStatus.get(10, TimeUnit.SECONDS));
    assertTrue(server.server().isTerminated());
  }

  @Test
  void tlsServerAnswersClientsTrustingItsCertificateAndRefusesPlaintext() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
    TlsFiles files = new TlsFiles(Optional.of(cert.certificate()), Optional.of(cert.privateKey()),
        Optional.of(cert.certificate()));
    GrpcSecurity security = new GrpcSecurity(Optional.of(files), Optional.of(TOKEN));
    RunningGrpcServer server = serve(security);

    assertEquals(7, call(connect("localhost:" + server.port(), security)).getRows(0).getIndex());
    assertEquals(7, call(connect("127.0.0.1:" + server.port(), security)).getRows(0).getIndex());
    assertEquals(Status.Code.UNAVAILABLE,
        failure(connect("127.0.0.1:" + server.port(), GrpcSecurity.none().withToken(TOKEN))));
    assertEquals(2, labeler.served.get());
  }

  @Test
  void clientRefusesAServerItsCaDidNotSign() throws Exception {
    SelfSignedCertificate serverCert = SelfSignedCertificate.create(dir);
    Path otherDir = dir.resolve("other");
    Files.createDirectories(otherDir);
    SelfSignedCertificate otherCa = SelfSignedCertificate.create(otherDir);
    RunningGrpcServer server = serve(
        GrpcSecurity.none().withTls(TlsFiles.server(serverCert.certificate(), serverCert.privateKey())));

    assertEquals(Status.Code.UNAVAILABLE,
        failure(connect("localhost:" + server.port(), GrpcSecurity.none().withTls(TlsFiles.client(otherCa.certificate())))));
    assertEquals(0, labeler.served.get());
  }

  @Test
  void rejectedCallsLogNeitherTheServerTokenNorThePresentedOne() throws IOException {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    try {
      RunningGrpcServer server = serve(GrpcSecurity.none().withToken(TOKEN));
      failure(connect("127.0.0.1:" + server.port(), GrpcSecurity.none().withToken(WRONG_TOKEN)));
      failure(connect("127.0.0.1:" + server.port(), GrpcSecurity.none()));
    } finally {
      root.detachAppender(appender);
    }
    List<String> rejections = appender.list.stream()
        .filter(e -> e.getLoggerName().equals(BearerTokenInterceptor.class.getName()))
        .map(ILoggingEvent::getFormattedMessage)
        .collect(Collectors.toList());
    assertEquals(2, rejections.size(), rejections.toString());
    assertTrue(rejections.get(0).contains("PseudoLabels") && rejections.get(0).contains("wrong bearer token"),
        rejections.get(0));
    for (ILoggingEvent event : appender.list) {
      String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
          : event.getThrowableProxy().getMessage());
      assertFalse(text.contains(TOKEN) || text.contains(WRONG_TOKEN), text);
    }
  }

  @Test
  void aBusyPortIsReportedInOneClearLine() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      IOException e = assertThrows(IOException.class, () -> GrpcServerAssembly.start("127.0.0.1", taken.getLocalPort(),
          GrpcSecurity.none(), serverRegistry, List.of(labeler)));
      assertEquals("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use", e.getMessage());
    }
  }

  @Test
  void unreadableTlsFilesAreNamed() {
    Path missing = dir.resolve("missing.crt");
    IOException e = assertThrows(IOException.class, () -> GrpcServerAssembly.start("127.0.0.1", 0,
        GrpcSecurity.none().withTls(TlsFiles.server(missing, dir.resolve("missing.key"))), serverRegistry,
        List.of(labeler)));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void serverAndClientCallsAreMetered() throws Exception {
    RunningGrpcServer server = serve(GrpcSecurity.none());
    call(connect("dns:///127.0.0.1:" + server.port(), GrpcSecurity.none()));

    // the server times a call when it closes, which may be just after the client has its answer
    waitUntil(() -> {
      Timer served = serverRegistry.find("grpc.server.processing.duration")
          .tags("service", "aevlp.v1.LabelerService", "method", "PseudoLabels", "statusCode", "OK").timer();
      return served != null && served.count() == 1;
    });
    assertEquals(1.0, serverRegistry.get("grpc.server.requests.received").tag("method", "PseudoLabels").counter().count());
    Timer sent = clientRegistry.find("grpc.client.processing.duration")
        .tags("service", "aevlp.v1.LabelerService", "method", "PseudoLabels", "statusCode", "OK").timer();
    assertTrue(sent != null && sent.count() == 1, clientRegistry.getMetersAsString());
    assertEquals(0, serverRegistry.get("grpc.server.processing.duration").tag("method", "PseudoLabelsForImages")
        .timer().count());
  }

  @Test
  void requestBytesThatDoNotParseAreRefusedAsInvalidArgumentNamingTheMessage() throws Exception {
    RunningGrpcServer server = serve(GrpcSecurity.none());
    ManagedChannel channel = connect("127.0.0.1:" + server.port(), GrpcSecurity.none());
    MethodDescriptor<byte[], byte[]> raw = RawBytes.of(LabelerServiceGrpc.getPseudoLabelsMethod());

    // a zero tag, a varint that never ends, a field cut short
    for (byte[] garbage : List.of(new byte[] {0}, new byte[] {8, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1},
        new byte[] {10, 50, 1})) {
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
          channel, raw, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), garbage));
      assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
      assertEquals("the request's bytes do not parse as PseudoLabelsRequest of aevlp.v1.LabelerService/PseudoLabels",
          refused.getStatus().getDescription());
    }
    assertEquals(0, labeler.served.get());

    byte[] answer = ClientCalls.blockingUnaryCall(channel, raw,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), REQUEST.toByteArray());
    assertEquals(7, PseudoLabelsResponse.parseFrom(answer).getRows(0).getIndex());
    assertEquals(7, call(channel).getRows(0).getIndex());
    assertEquals(2, labeler.served.get());
    assertEquals(Set.of("aevlp.v1.LabelerService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"),
        listServices(channel));
    assertTrue(describesSymbol(channel, "aevlp.v1.LabelerService"), "reflection lost the service's schema");
  }

  private static boolean describesSymbol(ManagedChannel channel, String symbol) throws Exception {
    CompletableFuture<Boolean> found = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .serverReflectionInfo(observer(
            response -> found.complete(response.hasFileDescriptorResponse()
                && response.getFileDescriptorResponse().getFileDescriptorProtoCount() > 0),
            found::completeExceptionally));
    requests.onNext(ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build());
    requests.onCompleted();
    return found.get(10, TimeUnit.SECONDS);
  }

  private static Set<String> listServices(ManagedChannel channel) throws Exception {
    CompletableFuture<Set<String>> services = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .serverReflectionInfo(observer(
            response -> services.complete(response.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).collect(Collectors.toSet())),
            services::completeExceptionally));
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
    requests.onCompleted();
    return services.get(10, TimeUnit.SECONDS);
  }

  private static <T> StreamObserver<T> observer(Consumer<T> onNext,
      Consumer<Throwable> onError) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        onNext.accept(value);
      }

      @Override
      public void onError(Throwable t) {
        onError.accept(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
