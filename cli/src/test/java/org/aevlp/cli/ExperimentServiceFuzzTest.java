package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.aevlp.common.grpc.GrpcServerAssembly;
import org.aevlp.common.grpc.RawBytes;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.proto.v1.CancelRequest;
import org.aevlp.proto.v1.ExperimentServiceGrpc;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.GetExperimentRequest;
import org.aevlp.proto.v1.ListExperimentsRequest;
import org.aevlp.proto.v1.SubmitRequest;
import org.aevlp.proto.v1.SubmitResponse;
import org.aevlp.proto.v1.WatchRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing of the coordinator's real ExperimentService on loopback, with no workers, so accepted
 * experiments wait in the queue (docs/RELIABILITY.md, "Bad input"): random and mutated requests of
 * every type, and random bytes as their messages, 10,000 per target by default ({@code
 * -Daevlp.fuzz.cases=N}, seed {@code -Daevlp.fuzz.seed=S}). Every call either succeeds or is
 * refused with INVALID_ARGUMENT / OUT_OF_RANGE / NOT_FOUND / RESOURCE_EXHAUSTED and a message that
 * is neither a stack trace nor names a Java class; ids like {@code ../x} never reach the file
 * system; the server keeps serving. Also the limits: above the message size, a zero deadline,
 * unknown ids, cancelling twice, data paths outside the data root.
 */
class ExperimentServiceFuzzTest {

  static final int CASES = Integer.getInteger("aevlp.fuzz.cases", 10_000);
  static final long SEED = Long.getLong("aevlp.fuzz.seed", 20_261_126L);

  private static final Set<Status.Code> REFUSALS = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.OUT_OF_RANGE,
      Status.Code.NOT_FOUND, Status.Code.RESOURCE_EXHAUSTED);
  private static final Pattern JAVA_LEAK =
      Pattern.compile("\\b(java|javax|org|com|io|net|sun)\\.[a-z_]+\\.|\\w+(Exception|Error)\\b|\\tat |[A-Z]\\w*\\$[A-Z]\\w*");
  private static final String[] ODD_IDS = {"", "../x", "../../etc/passwd", "/etc", "a/b", "..", ".", "nope",
      "x\u0000y", "\uD800", "runs/../x", "x".repeat(10_000), "%2e%2e%2fx", "\\..\\x"};

  @TempDir static Path temp;
  private static Path dataRoot;
  private static ExperimentSpec validSpec;
  private static LoopbackCluster cluster;
  private static ManagedChannel channel;
  private static ExperimentServiceGrpc.ExperimentServiceBlockingStub client;

  @BeforeAll
  static void start() throws Exception {
    // the coordinator's --data-dir is the dataset directory itself, and the data root
    dataRoot = ClusterTestData.dataset(temp.resolve("data"));
    Files.createDirectories(temp.resolve("outside"));
    validSpec = ClusterTestData.spec(ClusterTestData.specJson(dataRoot, 2, ""));
    cluster = LoopbackCluster.start(temp.resolve("runs"), RunnerSettings.defaults(Optional.of(dataRoot)));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", cluster.coordinator().grpcPort()).usePlaintext().build();
    client = ExperimentServiceGrpc.newBlockingStub(channel);
    // the first experiment becomes active and waits for a worker: everything after it stays queued
    stub().submit(SubmitRequest.newBuilder().setRequestId("active").setSpec(validSpec).build());
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    cluster.close();
  }

  private static ExperimentServiceGrpc.ExperimentServiceBlockingStub stub() {
    return client.withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  // ---- fuzzing ---------------------------------------------------------------------------------

  @Test
  void randomSubmitsAreQueuedOrRefusedWithAReason() throws IOException {
    RandomSpecs specs = new RandomSpecs(SEED);
    Map<Status.Code, Integer> outcomes = fuzz("Submit", ExperimentServiceGrpc.getSubmitMethod(), specs::submit);
    assertTrue(outcomes.getOrDefault(Status.Code.OK, 0) > 0, "some specs were accepted: " + outcomes);
    assertTrue(outcomes.getOrDefault(Status.Code.INVALID_ARGUMENT, 0) > CASES / 2, outcomes.toString());
    requireNothingOutsideTheRunStore();
    requireServing();
  }

  @Test
  void randomIdsGetNotFoundFromGetWatchAndCancel() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    Function<SplittableRandom, String> ids = r -> r.nextBoolean() ? ODD_IDS[r.nextInt(ODD_IDS.length)]
        : randomText(r, r.nextInt(40));
    Map<Status.Code, Integer> get = fuzz("Get", ExperimentServiceGrpc.getGetMethod(),
        () -> GetExperimentRequest.newBuilder().setExperimentId(ids.apply(random)).build());
    Map<Status.Code, Integer> cancel = fuzz("Cancel", ExperimentServiceGrpc.getCancelMethod(),
        () -> CancelRequest.newBuilder().setExperimentId(ids.apply(random)).build());
    Map<Status.Code, Integer> watch = fuzz("Watch", ExperimentServiceGrpc.getWatchMethod(),
        () -> WatchRequest.newBuilder().setExperimentId(ids.apply(random)).build());
    for (Map<Status.Code, Integer> outcomes : List.of(get, cancel, watch)) {
      assertEquals(Map.of(Status.Code.NOT_FOUND, CASES), outcomes);
    }
    requireNothingOutsideTheRunStore();
    requireServing();
  }

  @Test
  void randomListRequestsAreAnsweredOrRefusedWithAReason() {
    SplittableRandom random = new SplittableRandom(SEED + 2);
    Map<Status.Code, Integer> outcomes = fuzz("List", ExperimentServiceGrpc.getListMethod(), () -> {
      ListExperimentsRequest.Builder request = ListExperimentsRequest.newBuilder()
          .setLimit(random.nextBoolean() ? random.nextInt() : random.nextInt(-2, 5));
      int states = random.nextInt(4);
      for (int i = 0; i < states; i++) {
        request.addStatesValue(random.nextBoolean() ? random.nextInt(7) : random.nextInt());
      }
      return request.build();
    });
    assertTrue(outcomes.getOrDefault(Status.Code.OK, 0) > 0 && outcomes.getOrDefault(Status.Code.INVALID_ARGUMENT, 0)
        > 0, outcomes.toString());
    requireServing();
  }

  @Test
  void randomBytesAsEveryRequestAreRefusedWithAReason() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED + 3);
    byte[] validSubmit = SubmitRequest.newBuilder().setSpec(validSpec.toBuilder().setBsize(-1)).build().toByteArray();
    for (MethodDescriptor<?, ?> method : List.of(ExperimentServiceGrpc.getSubmitMethod(),
        ExperimentServiceGrpc.getGetMethod(), ExperimentServiceGrpc.getListMethod(),
        ExperimentServiceGrpc.getCancelMethod(), ExperimentServiceGrpc.getWatchMethod())) {
      Map<Status.Code, Integer> outcomes = new EnumMap<>(Status.Code.class);
      long start = System.nanoTime();
      for (int i = 0; i < CASES; i++) {
        byte[] bytes;
        if (random.nextBoolean() && method == ExperimentServiceGrpc.getSubmitMethod()) {
          bytes = validSubmit.clone();
          for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
          }
        } else {
          bytes = new byte[random.nextInt(300)];
          random.nextBytes(bytes);
        }
        outcomes.merge(call(RawBytes.of(method), bytes, strings(method, bytes), method.getBareMethodName() + " bytes case " + i), 1,
            Integer::sum);
      }
      System.out.printf("coordinator fuzz %s raw bytes: %d cases in %.1f s, outcomes %s%n",
          method.getBareMethodName(), CASES, (System.nanoTime() - start) / 1e9, outcomes);
    }
    requireNothingOutsideTheRunStore();
    requireServing();
  }

  // ---- limits ----------------------------------------------------------------------------------

  @Test
  void aSubmitAboveTheMessageLimitIsRefusedAndTheServerKeepsServing() {
    SubmitRequest huge = SubmitRequest.newBuilder().setSpec(validSpec.toBuilder()
        .setName("n".repeat(GrpcServerAssembly.MAX_INBOUND_MESSAGE_BYTES + 1))).build();
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> stub().submit(huge));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode(), refused.getStatus().toString());
    requireServing();
  }

  @Test
  void aZeroDeadlineExpiresAndTheServerKeepsServing() {
    for (int i = 0; i < 20; i++) {
      StatusRuntimeException expired = assertThrows(StatusRuntimeException.class,
          () -> client.withDeadlineAfter(0, TimeUnit.NANOSECONDS).list(ListExperimentsRequest.getDefaultInstance()));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, expired.getStatus().getCode());
    }
    requireServing();
  }

  @Test
  void idsThatLookLikePathsAreUnknownEverywhere() {
    for (String id : List.of("../x", "/etc", "a/b", "..", "")) {
      for (Runnable call : List.<Runnable>of(
          () -> stub().get(GetExperimentRequest.newBuilder().setExperimentId(id).build()),
          () -> stub().cancel(CancelRequest.newBuilder().setExperimentId(id).build()),
          () -> stub().watch(WatchRequest.newBuilder().setExperimentId(id).build()).hasNext())) {
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode(), id);
        assertTrue(unknown.getStatus().getDescription().startsWith("no experiment "), id);
      }
    }
  }

  @Test
  void cancellingAQueuedExperimentTwiceAnswersCancelledBothTimes() {
    SubmitResponse queued = stub().submit(SubmitRequest.newBuilder().setSpec(validSpec).build());
    assertTrue(queued.getQueuePosition() >= 1, "queued behind the active experiment: " + queued);
    CancelRequest cancel = CancelRequest.newBuilder().setExperimentId(queued.getExperimentId()).build();
    assertEquals(ExperimentState.CANCELLED, stub().cancel(cancel).getState());
    assertEquals(ExperimentState.CANCELLED, stub().cancel(cancel).getState(), "cancelling twice");
    Iterator<org.aevlp.proto.v1.ExperimentEvent> events = stub().watch(WatchRequest.newBuilder()
        .setExperimentId(queued.getExperimentId()).build());
    List<org.aevlp.proto.v1.ExperimentEvent> all = new ArrayList<>();
    events.forEachRemaining(all::add);
    assertEquals(ExperimentState.CANCELLED, all.get(all.size() - 1).getState().getState(),
        "a watch of a cancelled experiment replays its history and ends");
  }

  @Test
  void dataPathsOutsideTheDataRootAreRefusedNamingTheField() {
    for (String dir : List.of(temp.resolve("outside").toString(), dataRoot.resolve("../outside").toString(), "/etc",
        "../outside")) {
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> stub().submit(
          SubmitRequest.newBuilder().setSpec(validSpec.toBuilder().setDataDir(dir)).build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
      assertTrue(refused.getStatus().getDescription().startsWith("data_dir: "), refused.getStatus().toString());
      StatusRuntimeException weights = assertThrows(StatusRuntimeException.class, () -> stub().submit(
          SubmitRequest.newBuilder().setSpec(validSpec.toBuilder().setPretrainedPath(dir + "/w.params")).build()));
      assertTrue(weights.getStatus().getDescription().startsWith("pretrained_path: "), weights.getStatus().toString());
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static <T extends com.google.protobuf.Message> Map<Status.Code, Integer> fuzz(String name,
      MethodDescriptor<T, ?> method, java.util.function.Supplier<T> requests) {
    MethodDescriptor<byte[], byte[]> raw = RawBytes.of(method);
    // requests are drawn in order (one seed, one sequence) and sent eight at a time
    List<T> drawn = new java.util.ArrayList<>(CASES);
    for (int i = 0; i < CASES; i++) {
      drawn.add(requests.get());
    }
    Map<Status.Code, Integer> outcomes = new EnumMap<>(Status.Code.class);
    long start = System.nanoTime();
    java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Status.Code>> answers = new java.util.ArrayList<>(CASES);
      for (int i = 0; i < CASES; i++) {
        T request = drawn.get(i);
        String text = request.toString();
        String where = name + " case " + i + " of seed " + SEED + ": "
            + (text.length() <= 400 ? text : text.substring(0, 400) + "...");
        byte[] bytes = request.toByteArray();
        // echoed text as the server read it (an unpaired surrogate travels as '?')
        answers.add(senders.submit(() -> call(raw, bytes, strings(method, bytes), where)));
      }
      for (java.util.concurrent.Future<Status.Code> answer : answers) {
        outcomes.merge(answer.get(), 1, Integer::sum);
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof AssertionError failure ? failure : new AssertionError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      senders.shutdownNow();
    }
    System.out.printf("coordinator fuzz %s: %d cases in %.1f s, outcomes %s%n", name, CASES,
        (System.nanoTime() - start) / 1e9, outcomes);
    return outcomes;
  }

  /** One call (unary, or server streaming read to its end); checks the outcome and returns its code. */
  private static Status.Code call(MethodDescriptor<byte[], byte[]> method, byte[] request, List<String> echoed,
      String where) {
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS);
    try {
      if (method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
        ClientCalls.blockingServerStreamingCall(channel, method, options, request).forEachRemaining(event -> { });
      } else {
        ClientCalls.blockingUnaryCall(channel, method, options, request);
      }
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      assertTrue(REFUSALS.contains(status.getCode()), "refused with " + status + " for " + where);
      String description = status.getDescription();
      assertTrue(description != null && !description.isBlank(), "no message for " + where);
      String own = description;
      for (String text : echoed) {
        own = own.replace(text, "");
      }
      assertTrue(!JAVA_LEAK.matcher(own).find(), "Java internals in \"" + description + "\" for " + where);
      return status.getCode();
    }
  }

  private static void requireServing() {
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus());
    assertTrue(stub().list(ListExperimentsRequest.newBuilder().setLimit(1).build()).getExperimentsCount() == 1);
  }

  /** The temp directory holds the data, the run store and the empty "outside" directory, nothing else. */
  private static void requireNothingOutsideTheRunStore() throws IOException {
    try (Stream<Path> top = Files.list(temp)) {
      assertEquals(Set.of("data", "runs", "outside"), top.map(p -> p.getFileName().toString())
          .collect(Collectors.toSet()));
    }
    try (Stream<Path> outside = Files.list(temp.resolve("outside"))) {
      assertEquals(0, outside.count());
    }
  }

  /** Every string the request carries (a refusal may quote them; they are the client's, not internals). */
  static List<String> strings(com.google.protobuf.Message message) {
    List<String> found = new java.util.ArrayList<>();
    message.getAllFields().forEach((field, value) -> {
      for (Object element : field.isRepeated() ? (List<?>) value : List.of(value)) {
        if (element instanceof String text && !text.isEmpty()) {
          found.add(text);
        } else if (element instanceof com.google.protobuf.Message nested) {
          found.addAll(strings(nested));
        }
      }
    });
    found.sort(java.util.Comparator.comparingInt(String::length).reversed());
    return found;
  }

  /** The strings of {@code bytes} read as the method's request, when they can be read. */
  static List<String> strings(MethodDescriptor<?, ?> method, byte[] bytes) {
    try {
      return strings((com.google.protobuf.Message) method.parseRequest(new ByteArrayInputStream(bytes)));
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  static String randomText(SplittableRandom random, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : (char) random.nextInt(0x20, 0x7f));
    }
    return out.toString();
  }

  /**
   * Submit requests: the valid test spec with one surely-bad field in 97 cases of 100 (so that few
   * experiments are queued) and up to three more fields set to random values of their type, NaN,
   * infinities, huge lists, path-like and unpaired-surrogate strings included; random request ids.
   */
  private static final class RandomSpecs {

    private static final List<FieldDescriptor> FIELDS = ExperimentSpec.getDescriptor().getFields();
    private static final List<Function<ExperimentSpec.Builder, ExperimentSpec.Builder>> SURELY_BAD = List.of(
        b -> b.setDataDir("../outside"), b -> b.setDataDir("/etc"), b -> b.setBsize(0), b -> b.setLr(Double.NaN),
        b -> b.setLr(Double.POSITIVE_INFINITY), b -> b.setDataset("nope"), b -> b.setNumEpochs(-1),
        b -> b.setImageSize(1 << 30), b -> b.clearAlpha().addAlpha(1), b -> b.setOptimizer("sgd"),
        b -> b.setPretrainedPath("../../etc/passwd"), b -> b.setDataDir("a\u0000b"), b -> b.setScaleLr(true));

    private final SplittableRandom random;

    RandomSpecs(long seed) {
      this.random = new SplittableRandom(seed);
    }

    SubmitRequest submit() {
      ExperimentSpec.Builder spec = validSpec.toBuilder();
      if (random.nextInt(100) < 97) {
        SURELY_BAD.get(random.nextInt(SURELY_BAD.size())).apply(spec);
      }
      for (int n = random.nextInt(4); n > 0; n--) {
        FieldDescriptor field = FIELDS.get(random.nextInt(FIELDS.size()));
        if (field.isRepeated()) {
          spec.clearField(field);
          int count = random.nextInt(10) == 0 ? 100_000 : random.nextInt(6);
          for (int i = 0; i < count; i++) {
            spec.addRepeatedField(field, value(field));
          }
        } else {
          spec.setField(field, value(field));
        }
      }
      SubmitRequest.Builder request = SubmitRequest.newBuilder().setSpec(spec);
      if (random.nextBoolean()) {
        request.setRequestId(randomText(random, random.nextInt(30)));
      }
      return request.build();
    }

    private Object value(FieldDescriptor field) {
      return switch (field.getJavaType()) {
        case INT -> random.nextBoolean() ? random.nextInt() : random.nextInt(-2, 300);
        case LONG -> random.nextLong();
        case FLOAT -> (float) oddDouble();
        case DOUBLE -> oddDouble();
        case BOOLEAN -> random.nextBoolean();
        case STRING -> random.nextBoolean() ? ODD_IDS[random.nextInt(ODD_IDS.length)]
            : randomText(random, random.nextInt(30));
        default -> throw new IllegalStateException("spec field of type " + field.getJavaType());
      };
    }

    private double oddDouble() {
      double[] odd = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e308, -1e308,
          Double.MIN_VALUE, 0, 1, 0.5};
      return random.nextBoolean() ? odd[random.nextInt(odd.length)] : random.nextDouble(-10, 10);
    }
  }
}
