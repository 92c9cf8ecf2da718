package org.aevlp.common.tensor;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aevlp.proto.v1.TensorAck;
import org.aevlp.proto.v1.TensorChannelGrpc;
import org.aevlp.proto.v1.TensorChunk;
import org.aevlp.proto.v1.TensorPullRequest;

/**
 * The TensorChannel gRPC service over a {@link TensorStore}: Push assembles chunks into a buffer and
 * stores it; Pull waits for a key and streams it back, sending only while the transport is ready
 * (so a large buffer never piles up in memory faster than the client reads it) and stopping when
 * the client cancels.
 */
public final class TensorChannelService extends TensorChannelGrpc.TensorChannelImplBase {

  /** Longest a Pull may wait for its key. */
  static final long MAX_WAIT_MILLIS = 600_000;

  private final TensorStore store;

  public TensorChannelService(TensorStore store) {
    this.store = store;
  }

  @Override
  public StreamObserver<TensorChunk> push(StreamObserver<TensorAck> response) {
    return new StreamObserver<>() {
      private final FloatChunks.Assembler assembler = new FloatChunks.Assembler();
      private boolean failed;

      @Override
      public void onNext(TensorChunk chunk) {
        if (failed) {
          return;
        }
        try {
          assembler.add(chunk);
        } catch (IllegalArgumentException e) {
          failed = true;
          response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
      }

      @Override
      public void onError(Throwable t) {
        failed = true;
      }

      @Override
      public void onCompleted() {
        if (failed) {
          return;
        }
        if (assembler.isEmpty()) {
          response.onError(Status.INVALID_ARGUMENT.withDescription("Push: no chunk sent").asRuntimeException());
          return;
        }
        float[] values;
        try {
          values = assembler.result();
        } catch (IllegalStateException e) {
          response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
          return;
        }
        store.put(assembler.key(), values);
        response.onNext(TensorAck.newBuilder().setKey(assembler.key()).setFloats(values.length).build());
        response.onCompleted();
      }
    };
  }

  @Override
  public void pull(TensorPullRequest request, StreamObserver<TensorChunk> response) {
    ServerCallStreamObserver<TensorChunk> call = (ServerCallStreamObserver<TensorChunk>) response;
    if (request.getKey().isEmpty()) {
      call.onError(Status.INVALID_ARGUMENT.withDescription("key: must not be empty").asRuntimeException());
      return;
    }
    long wait = Math.min(Math.max(request.getWaitMillis(), 0), MAX_WAIT_MILLIS);
    CompletableFuture<float[]> published = store.whenPublished(request.getKey()).copy();
    // gRPC accepts the handlers only during this call, before the buffer may be there
    ChunkSender sender = new ChunkSender(request.getKey(), call);
    call.setOnReadyHandler(sender);
    call.setOnCancelHandler(() -> published.cancel(false));
    published
        .orTimeout(Math.max(wait, 1), TimeUnit.MILLISECONDS)
        .whenComplete((values, error) -> {
          if (error == null) {
            sender.send(values);
          } else if (!call.isCancelled()) {
            String why = error instanceof TimeoutException
                ? "tensor '" + request.getKey() + "' was not published within " + wait + " ms"
                : "tensor '" + request.getKey() + "': " + error;
            call.onError(Status.NOT_FOUND.withDescription(why).asRuntimeException());
          }
        });
  }

  /** Streams one buffer while the call is ready; resumed by the on-ready handler. */
  private static final class ChunkSender implements Runnable {
    private final String key;
    private final ServerCallStreamObserver<TensorChunk> call;
    private float[] values;
    private int chunks;
    private int next;
    private boolean done;

    ChunkSender(String key, ServerCallStreamObserver<TensorChunk> call) {
      this.key = key;
      this.call = call;
    }

    synchronized void send(float[] buffer) {
      values = buffer;
      chunks = FloatChunks.chunkCount(buffer.length);
      run();
    }

    @Override
    public synchronized void run() {
      if (values == null || done) {
        return;
      }
      while (!call.isCancelled() && call.isReady() && next < chunks) {
        call.onNext(FloatChunks.chunk(key, values, next++));
      }
      if (!call.isCancelled() && next == chunks) {
        done = true;
        call.onCompleted();
      }
    }
  }
}
