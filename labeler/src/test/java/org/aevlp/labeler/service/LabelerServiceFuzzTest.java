package org.aevlp.labeler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.aevlp.common.grpc.GrpcServerAssembly;
import org.aevlp.common.grpc.RawBytes;
import org.aevlp.common.image.ImageCodec;
import org.aevlp.common.image.RgbImage;
import org.aevlp.labeler.bench.UntrainedTinyVlmScorer;
import org.aevlp.proto.v1.DampParams;
import org.aevlp.proto.v1.ImageInput;
import org.aevlp.proto.v1.LabelerServiceGrpc;
import org.aevlp.proto.v1.PseudoLabelsForImagesRequest;
import org.aevlp.proto.v1.PseudoLabelsRequest;
import org.aevlp.proto.v1.SampleRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing of the real LabelerService on loopback (docs/RELIABILITY.md, "Bad input"): random and
 * mutated requests of both types, and random bytes sent as their messages, 10,000 per target by
 * default ({@code -Daevlp.fuzz.cases=N}, seed {@code -Daevlp.fuzz.seed=S}). Every call either
 * succeeds or is refused with INVALID_ARGUMENT, OUT_OF_RANGE or RESOURCE_EXHAUSTED and a message
 * that is neither a stack trace nor names a Java class; the server keeps serving throughout. Also
 * the limits: a message above the server's inbound limit, a zero deadline.
 */
class LabelerServiceFuzzTest {

  static final int CASES = Integer.getInteger("aevlp.fuzz.cases", 10_000);
  static final long SEED = Long.getLong("aevlp.fuzz.seed", 20_261_126L);

  private static final int TRAIN_IMAGES = 16;
  private static final int MAX_ITEMS = 16;
  private static final Set<Status.Code> REFUSALS =
      Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.OUT_OF_RANGE, Status.Code.RESOURCE_EXHAUSTED);
  /** A Java class or package name ("java.lang.", "org.aevlp.x.Y", "SomethingException"), or a stack frame. */
  static final Pattern JAVA_LEAK =
      Pattern.compile("\\b(java|javax|org|com|io|net|sun)\\.[a-z_]+\\.|\\w+(Exception|Error)\\b|\\tat |[A-Z]\\w*\\$[A-Z]\\w*");

  @TempDir static Path dataDir;
  private static UntrainedTinyVlmScorer scorer;
  private static LabelerServer server;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    LabelerDataset dataset = SyntheticFixture.dataset(dataDir, TRAIN_IMAGES);
    scorer = SyntheticFixture.scorer();
    server = LabelerServer.start(LabelerSettings.defaults().withBindAddress("127.0.0.1").withPort(0)
        .withCache(16L << 20, false).withMaxItemsPerRequest(MAX_ITEMS), scorer, List.of(dataset),
        new SimpleMeterRegistry());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
        .maxInboundMessageSize(64 << 20).build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
    scorer.close();
  }

  @Test
  void randomPseudoLabelsRequestsAreAnsweredOrRefusedWithAReason() {
    RandomLabelerRequests random = new RandomLabelerRequests(SEED);
    Map<Status.Code, Integer> outcomes = fuzz("PseudoLabels", random::samplesRequest,
        LabelerServiceGrpc.getPseudoLabelsMethod());
    assertTrue(outcomes.getOrDefault(Status.Code.OK, 0) > 0, "some requests were valid: " + outcomes);
    requireServing();
  }

  @Test
  void randomPseudoLabelsForImagesRequestsAreAnsweredOrRefusedWithAReason() {
    RandomLabelerRequests random = new RandomLabelerRequests(SEED + 1);
    Map<Status.Code, Integer> outcomes = fuzz("PseudoLabelsForImages", random::imagesRequest,
        LabelerServiceGrpc.getPseudoLabelsForImagesMethod());
    assertTrue(outcomes.getOrDefault(Status.Code.OK, 0) > 0, "some requests were valid: " + outcomes);
    requireServing();
  }

  @Test
  void randomBytesAsEitherRequestAreRefusedWithAReason() {
    RandomLabelerRequests random = new RandomLabelerRequests(SEED + 2);
    for (MethodDescriptor<?, ?> method : List.of(LabelerServiceGrpc.getPseudoLabelsMethod(),
        LabelerServiceGrpc.getPseudoLabelsForImagesMethod())) {
      MethodDescriptor<byte[], byte[]> raw = RawBytes.of(method);
      Map<Status.Code, Integer> outcomes = new EnumMap<>(Status.Code.class);
      for (int i = 0; i < CASES; i++) {
        byte[] bytes = random.bytesFor(method);
        String where = method.getBareMethodName() + " bytes case " + i + " of seed " + (SEED + 2);
        outcomes.merge(call(raw, bytes, strings(method, bytes), where), 1, Integer::sum);
      }
      System.out.printf("labeler fuzz %s raw bytes: %d cases, outcomes %s%n", method.getBareMethodName(), CASES,
          outcomes);
    }
    requireServing();
  }

  @Test
  void aMessageAboveTheInboundLimitIsRefusedAndTheServerKeepsServing() {
    byte[] big = new byte[GrpcServerAssembly.MAX_INBOUND_MESSAGE_BYTES + 1024];
    PseudoLabelsForImagesRequest request = PseudoLabelsForImagesRequest.newBuilder().setDatasetId("synthetic")
        .setEpoch(1).addImages(ImageInput.newBuilder().setEncoded(ByteString.copyFrom(big))).build();
    StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
        () -> LabelerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
            .pseudoLabelsForImages(request));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode(), refused.getStatus().toString());
    assertTrue(refused.getStatus().getDescription().contains(String.valueOf(GrpcServerAssembly.MAX_INBOUND_MESSAGE_BYTES)),
        refused.getStatus().getDescription());
    requireServing();
  }

  @Test
  void aZeroDeadlineExpiresAndTheServerKeepsServing() {
    for (int i = 0; i < 20; i++) {
      StatusRuntimeException expired = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
          () -> LabelerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(0, TimeUnit.NANOSECONDS)
              .pseudoLabels(RandomLabelerRequests.validSamplesRequest(1, 3)));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, expired.getStatus().getCode());
    }
    requireServing();
  }

  private static <T extends Message> Map<Status.Code, Integer> fuzz(String name, Supplier<T> requests,
      MethodDescriptor<T, ?> method) {
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
    System.out.printf("labeler fuzz %s: %d cases in %.1f s, outcomes %s%n", name, CASES,
        (System.nanoTime() - start) / 1e9, outcomes);
    return outcomes;
  }

  /** One call; asserts its outcome is a success or a refusal with a clean message, and returns its code. */
  private static Status.Code call(MethodDescriptor<byte[], byte[]> method, byte[] request, List<String> echoed,
      String where) {
    try {
      ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
          request);
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
    assertEquals(1, LabelerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .pseudoLabels(RandomLabelerRequests.validSamplesRequest(1, 2)).getRowsCount());
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

  /** The method with its messages as plain bytes, so that anything can be sent as a request. */
  private static String abbreviate(String text) {
    return text.length() <= 400 ? text : text.substring(0, 400) + "... (" + text.length() + " chars)";
  }

  /** Random labeler requests: mostly near-valid with one thing wrong, some wholly random, some valid. */
  static final class RandomLabelerRequests {

    private static final String[] IDS = {"synthetic", "synthetic", "synthetic", "", "../x", "/etc", "a/b",
        "synthetic/../synthetic", "SYNTHETIC", "x".repeat(10_000), "\u0000", "\uD800"};
    private static final byte[] SMALL_PNG = ImageCodec.encodePng(image(40, 40));
    private static final byte[] TINY_PNG = ImageCodec.encodePng(image(1, 1));

    private final SplittableRandom random;

    RandomLabelerRequests(long seed) {
      this.random = new SplittableRandom(seed);
    }

    static PseudoLabelsRequest validSamplesRequest(int epoch, int index) {
      SampleRef.Builder sample = SampleRef.newBuilder().setIndex(index);
      for (int c = 0; c < SyntheticFixture.CLASSES; c++) {
        sample.addObserved(c == index % SyntheticFixture.CLASSES ? 1f : 0f);
      }
      return PseudoLabelsRequest.newBuilder().setDatasetId("synthetic").setEpoch(epoch).setSeed(1)
          .setParams(DampParams.newBuilder().setGridSize(1)).addSamples(sample).build();
    }

    PseudoLabelsRequest samplesRequest() {
      PseudoLabelsRequest.Builder request = PseudoLabelsRequest.newBuilder()
          .setDatasetId(id()).setEpoch(epoch()).setSeed(random.nextLong()).setParams(params());
      int count = count();
      // a huge repeated field stays within the message limit: long lists carry plain observed vectors
      for (int i = 0; i < count; i++) {
        request.addSamples(SampleRef.newBuilder().setIndex(index())
            .addAllObserved(count > MAX_ITEMS ? observed(i % SyntheticFixture.CLASSES) : observed()));
      }
      return request.build();
    }

    PseudoLabelsForImagesRequest imagesRequest() {
      PseudoLabelsForImagesRequest.Builder request = PseudoLabelsForImagesRequest.newBuilder()
          .setDatasetId(id()).setEpoch(epoch()).setSeed(random.nextLong()).setParams(params());
      int count = Math.min(count(), 40);
      for (int i = 0; i < count; i++) {
        request.addImages(ImageInput.newBuilder().setKey(random.nextInt(10) < 8 ? random.nextInt(1_000)
            : random.nextLong()).setEncoded(ByteString.copyFrom(encoded()))
            .addAllObserved(count > MAX_ITEMS ? observed(i % SyntheticFixture.CLASSES) : observed()));
      }
      return request.build();
    }

    /** Random bytes, or a serialized near-valid request with bytes flipped, cut or inserted. */
    byte[] bytesFor(MethodDescriptor<?, ?> method) {
      int roll = random.nextInt(3);
      if (roll == 0) {
        byte[] bytes = new byte[random.nextInt(2_000)];
        random.nextBytes(bytes);
        return bytes;
      }
      byte[] valid = method.getBareMethodName().equals("PseudoLabels")
          ? validSamplesRequest(1 + random.nextInt(3), random.nextInt(TRAIN_IMAGES)).toByteArray()
          : PseudoLabelsForImagesRequest.newBuilder().setDatasetId("synthetic").setEpoch(1)
              .setParams(DampParams.newBuilder().setGridSize(1))
              .addImages(ImageInput.newBuilder().setEncoded(ByteString.copyFrom(SMALL_PNG))
                  .addAllObserved(observed(3))).build().toByteArray();
      byte[] bytes = valid.clone();
      int flips = 1 + random.nextInt(4);
      for (int i = 0; i < flips; i++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      return roll == 1 ? bytes : java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
    }

    private String id() {
      return random.nextBoolean() ? "synthetic" : IDS[random.nextInt(IDS.length)];
    }

    private int epoch() {
      return switch (random.nextInt(6)) {
        case 0 -> random.nextInt();
        case 1 -> 0;
        case 2 -> Integer.MIN_VALUE;
        default -> 1 + random.nextInt(3);
      };
    }

    private int count() {
      return switch (random.nextInt(12)) {
        case 0 -> 0;
        case 1 -> MAX_ITEMS + 1;
        case 2 -> 1_000 + random.nextInt(5_000);
        default -> 1 + random.nextInt(2);
      };
    }

    private long index() {
      return switch (random.nextInt(8)) {
        case 0, 4 -> random.nextLong();
        case 1 -> -1;
        case 2 -> TRAIN_IMAGES;
        case 3 -> Long.MAX_VALUE;
        default -> random.nextInt(TRAIN_IMAGES);
      };
    }

    private List<Float> observed() {
      int roll = random.nextInt(10);
      if (roll < 4) {
        return observed(random.nextInt(SyntheticFixture.CLASSES));
      }
      int length = roll < 6 ? random.nextInt(SyntheticFixture.CLASSES * 2) : roll == 6 ? 50_000
          : SyntheticFixture.CLASSES;
      Float[] values = new Float[length];
      float[] odd = {Float.NaN, Float.POSITIVE_INFINITY, -0f, 2f, 0.5f, -1f, 1f, 0f};
      for (int i = 0; i < length; i++) {
        values[i] = random.nextBoolean() ? odd[random.nextInt(odd.length)] : (float) random.nextDouble(-3, 3);
      }
      return List.of(values);
    }

    private static List<Float> observed(int positive) {
      Float[] values = new Float[SyntheticFixture.CLASSES];
      for (int c = 0; c < values.length; c++) {
        values[c] = c == positive ? 1f : 0f;
      }
      return List.of(values);
    }

    private DampParams params() {
      DampParams.Builder params = DampParams.newBuilder().setGridSize(1);
      if (random.nextInt(3) > 0) {
        return params.build();
      }
      double[] odd = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1, 0, 1, 2, 1e300, 0.5};
      switch (random.nextInt(8)) {
        case 0 -> params.setTemp(odd[random.nextInt(odd.length)]);
        case 1 -> params.setEta(odd[random.nextInt(odd.length)]);
        case 2 -> params.setThreshold(odd[random.nextInt(odd.length)]);
        case 3 -> params.setGridSize(random.nextBoolean() ? random.nextInt() : random.nextInt(-2, 12));
        case 4 -> params.setNegativeRatio(odd[random.nextInt(odd.length)]);
        case 5 -> params.setTopK(random.nextBoolean() ? random.nextInt() : random.nextInt(-2, 14));
        case 6 -> params.setUseRefinement(true);
        default -> params.setNegativePseudoLabels(random.nextBoolean());
      }
      return params.build();
    }

    private byte[] encoded() {
      return switch (random.nextInt(10)) {
        case 0, 8 -> new byte[0];
        case 1 -> {
          byte[] noise = new byte[random.nextInt(500)];
          random.nextBytes(noise);
          yield noise;
        }
        case 2 -> java.util.Arrays.copyOf(SMALL_PNG, random.nextInt(SMALL_PNG.length));
        case 3 -> withPngSize(SMALL_PNG, 20_000, 20_000);
        case 4 -> TINY_PNG;
        case 5 -> "not an image at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        case 6 -> {
          byte[] flipped = SMALL_PNG.clone();
          flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
          yield flipped;
        }
        default -> SMALL_PNG;
      };
    }

    private static RgbImage image(int w, int h) {
      byte[] rgb = new byte[w * h * 3];
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = (byte) (i * 13);
      }
      return RgbImage.of(w, h, rgb);
    }

    /** A PNG whose IHDR claims {@code width x height}, CRC recomputed. */
    private static byte[] withPngSize(byte[] png, int width, int height) {
      byte[] copy = png.clone();
      ByteBuffer.wrap(copy, 16, 8).putInt(width).putInt(height);
      CRC32 crc = new CRC32();
      crc.update(copy, 12, 17);
      ByteBuffer.wrap(copy, 29, 4).putInt((int) crc.getValue());
      return copy;
    }
  }
}
