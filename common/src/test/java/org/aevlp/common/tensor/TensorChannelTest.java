package org.aevlp.common.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.grpc.GrpcSecurity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TensorChannelTest {

  private TensorStore store;
  private TensorChannelServer server;

  @BeforeEach
  void start() throws Exception {
    store = TensorStore.open();
    server = TensorChannelServer.start(store, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private static float[] randomFloats(int n, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  @Test
  void aBufferOfManyChunksCrossesTheChannelIntact() throws Exception {
    float[] gradient = randomFloats(3 * FloatChunks.CHUNK_FLOATS + 12_345, 1);
    try (GrpcTensorTransport worker = new GrpcTensorTransport("127.0.0.1", server.port());
        GrpcTensorTransport other = new GrpcTensorTransport("127.0.0.1", server.port())) {
      worker.publish("exp/grad/1/0/0/0", gradient);
      assertArrayEquals(gradient, store.peek("exp/grad/1/0/0/0").orElseThrow());
      assertArrayEquals(gradient, other.fetch("exp/grad/1/0/0/0", Duration.ofSeconds(5)));
      assertFalse(worker.isLocal());
    }
  }

  @Test
  void aChannelWithATokenServesOnlyTransportsCarryingIt() throws Exception {
    GrpcSecurity security = GrpcSecurity.none().withToken("tensor-token");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TensorStore guarded = TensorStore.open();
        TensorChannelServer secured = TensorChannelServer.start(guarded, "127.0.0.1", 0, security, registry);
        GrpcTensorTransport anonymous = new GrpcTensorTransport("127.0.0.1", secured.port());
        GrpcTensorTransport trusted = new GrpcTensorTransport("127.0.0.1", secured.port(), security, registry)) {
      TensorTransferException refused = assertThrows(TensorTransferException.class,
          () -> anonymous.publish("k", new float[] {1f}));
      assertTrue(refused.getMessage().contains("UNAUTHENTICATED"), refused.getMessage());
      assertTrue(guarded.peek("k").isEmpty());
      trusted.publish("k", new float[] {1f, 2f});
      assertArrayEquals(new float[] {1f, 2f}, trusted.fetch("k", Duration.ofSeconds(5)));
      // the server times a call when it closes, which may be just after the client has its answer
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (pushesTimed(registry) < 2 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertEquals(2, pushesTimed(registry));
    }
  }

  private static long pushesTimed(SimpleMeterRegistry registry) {
    return registry.get("grpc.server.processing.duration").tag("method", "Push").timers().stream()
        .mapToLong(t -> t.count()).sum();
  }

  @Test
  void emptyAndSingleChunkBuffersCrossToo() throws Exception {
    try (GrpcTensorTransport transport = new GrpcTensorTransport("127.0.0.1", server.port())) {
      transport.publish("empty", new float[0]);
      assertEquals(0, transport.fetch("empty", Duration.ofSeconds(5)).length);
      transport.publish("small", new float[] {1f, -2f, Float.NaN});
      assertArrayEquals(new float[] {1f, -2f, Float.NaN}, transport.fetch("small", Duration.ofSeconds(5)));
    }
  }

  @Test
  void pullWaitsForAKeyPublishedLater() throws Exception {
    float[] reduced = randomFloats(1000, 2);
    try (GrpcTensorTransport transport = new GrpcTensorTransport("127.0.0.1", server.port())) {
      CompletableFuture<float[]> pulled = CompletableFuture.supplyAsync(() -> {
        try {
          return transport.fetch("exp/reduced/1/0", Duration.ofSeconds(10));
        } catch (TensorTransferException e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(200);
      assertFalse(pulled.isDone());
      store.put("exp/reduced/1/0", reduced);
      assertArrayEquals(reduced, pulled.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void pullOfAKeyNeverPublishedFailsNamingIt() {
    try (GrpcTensorTransport transport = new GrpcTensorTransport("127.0.0.1", server.port())) {
      TensorTransferException e =
          assertThrows(TensorTransferException.class, () -> transport.fetch("exp/missing", Duration.ofMillis(100)));
      assertTrue(e.getMessage().contains("exp/missing"), e.getMessage());
      assertTrue(e.getMessage().contains("NOT_FOUND"), e.getMessage());
    }
  }

  @Test
  void inTheSameJvmTheArrayItselfIsHandedOver() throws Exception {
    float[] gradient = randomFloats(10, 3);
    try (TensorTransport transport = TensorTransports.connect("127.0.0.1", server.port(), store.id(), false)) {
      assertInstanceOf(LocalTensorTransport.class, transport);
      transport.publish("k", gradient);
      assertSame(gradient, transport.fetch("k", Duration.ZERO));
    }
    try (TensorTransport transport = TensorTransports.connect("127.0.0.1", server.port(), store.id(), true)) {
      assertInstanceOf(GrpcTensorTransport.class, transport);
    }
    try (TensorTransport transport = TensorTransports.connect("127.0.0.1", server.port(), "another-jvm", false)) {
      assertInstanceOf(GrpcTensorTransport.class, transport);
    }
  }

  @Test
  void bytesViewedAsFloatsComeBackBitForBit() {
    byte[] bytes = new byte[4096];
    new Random(4).nextBytes(bytes);
    assertArrayEquals(bytes, FloatChunks.toBytes(FloatChunks.fromBytes(bytes)));
    assertThrows(IllegalArgumentException.class, () -> FloatChunks.fromBytes(new byte[6]));
  }

  @Test
  void chunksThatDoNotFitTogetherAreRejected() {
    float[] values = randomFloats(FloatChunks.CHUNK_FLOATS + 10, 5);
    FloatChunks.Assembler assembler = new FloatChunks.Assembler();
    assertThrows(IllegalArgumentException.class, () -> assembler.add(FloatChunks.chunk("k", values, 1)));
    FloatChunks.Assembler partial = new FloatChunks.Assembler();
    partial.add(FloatChunks.chunk("k", values, 0));
    assertThrows(IllegalStateException.class, partial::result);
  }

  @Test
  void removingByPrefixForgetsAStepsGradients() {
    store.put("exp/grad/1/0/0/0", new float[1]);
    store.put("exp/grad/1/0/1/0", new float[1]);
    store.put("exp/reduced/1/0", new float[1]);
    assertEquals(2, store.removePrefix("exp/grad/1/0/"));
    assertEquals(1, store.size());
  }
}
