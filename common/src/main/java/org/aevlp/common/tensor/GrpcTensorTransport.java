package org.aevlp.common.tensor;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.grpc.GrpcChannels;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.proto.v1.TensorAck;
import org.aevlp.proto.v1.TensorChannelGrpc;
import org.aevlp.proto.v1.TensorChunk;
import org.aevlp.proto.v1.TensorPullRequest;

/**
 * Transport to a coordinator in another JVM over the TensorChannel gRPC service. Push sends
 * chunks only while the stream is ready (flow control), so memory stays at a few chunks whatever
 * the buffer size; Pull reads the server stream as it arrives.
 */
public final class GrpcTensorTransport implements TensorTransport {

  /** Time allowed per MiB on top of the wait, generous for a loaded loopback or LAN. */
  private static final long MILLIS_PER_MIB = 2_000;

  /** Time allowed to stream a pulled buffer once it is published (its size is not known ahead). */
  private static final long PULL_TRANSFER_MILLIS = 600_000;

  private final ManagedChannel channel;
  private final TensorChannelGrpc.TensorChannelStub asyncStub;
  private final TensorChannelGrpc.TensorChannelBlockingStub blockingStub;

  /** Plaintext without a token, metered on the global registry. */
  public GrpcTensorTransport(String host, int port) {
    this(host, port, GrpcSecurity.none(), Metrics.globalRegistry);
  }

  /** A channel to {@code host:port} opened by {@link GrpcChannels} (TLS and token per {@code security}). */
  public GrpcTensorTransport(String host, int port, GrpcSecurity security, MeterRegistry registry) {
    this.channel = GrpcChannels.open(GrpcChannels.target(host, port), security, registry);
    this.asyncStub = TensorChannelGrpc.newStub(channel);
    this.blockingStub = TensorChannelGrpc.newBlockingStub(channel);
  }

  @Override
  public void publish(String key, float[] values) throws TensorTransferException {
    CompletableFuture<TensorAck> ack = new CompletableFuture<>();
    int chunks = FloatChunks.chunkCount(values.length);
    asyncStub
        .withDeadlineAfter(transferMillis(values.length), TimeUnit.MILLISECONDS)
        .push(new ClientResponseObserver<TensorChunk, TensorAck>() {
          private int next;
          private boolean completed;

          @Override
          public void beforeStart(ClientCallStreamObserver<TensorChunk> requests) {
            requests.setOnReadyHandler(() -> {
              synchronized (this) {
                while (requests.isReady() && next < chunks) {
                  requests.onNext(FloatChunks.chunk(key, values, next++));
                }
                if (next == chunks && !completed) {
                  completed = true;
                  requests.onCompleted();
                }
              }
            });
          }

          @Override
          public void onNext(TensorAck value) {
            ack.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            ack.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            ack.completeExceptionally(new IllegalStateException("Push ended without an acknowledgement"));
          }
        });
    try {
      TensorAck received = ack.get();
      if (received.getFloats() != values.length) {
        throw new TensorTransferException("publish '" + key + "': the channel stored " + received.getFloats()
            + " of " + values.length + " floats");
      }
    } catch (ExecutionException e) {
      throw new TensorTransferException("publish '" + key + "' failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TensorTransferException("interrupted while publishing '" + key + "'", e);
    }
  }

  @Override
  public float[] fetch(String key, Duration wait) throws TensorTransferException {
    TensorPullRequest request = TensorPullRequest.newBuilder().setKey(key).setWaitMillis(wait.toMillis()).build();
    FloatChunks.Assembler assembler = new FloatChunks.Assembler();
    try {
      Iterator<TensorChunk> chunks = blockingStub
          .withDeadlineAfter(wait.toMillis() + PULL_TRANSFER_MILLIS, TimeUnit.MILLISECONDS)
          .pull(request);
      while (chunks.hasNext()) {
        assembler.add(chunks.next());
      }
      return assembler.result();
    } catch (StatusRuntimeException e) {
      throw new TensorTransferException("fetch '" + key + "' failed: " + e.getStatus(), e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new TensorTransferException("fetch '" + key + "': " + e.getMessage(), e);
    }
  }

  @Override
  public boolean isLocal() {
    return false;
  }

  /** Deadline of a push of {@code floats}: a minute plus {@link #MILLIS_PER_MIB} per MiB. */
  private static long transferMillis(long floats) {
    return 60_000 + (floats * Float.BYTES / FloatChunks.MAX_CHUNK_BYTES + 1) * MILLIS_PER_MIB;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
