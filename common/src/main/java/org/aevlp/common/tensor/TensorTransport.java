package org.aevlp.common.tensor;

import java.time.Duration;

/**
 * Moves flat float buffers between a node and the coordinator's {@link TensorStore} (DESIGN §2,
 * data plane). Implementations: {@link LocalTensorTransport} (same JVM: the array itself is
 * handed over, never copied or serialized) and {@link GrpcTensorTransport} (another JVM: the
 * TensorChannel service, in chunks of at most {@link FloatChunks#MAX_CHUNK_BYTES}).
 *
 * <p>Buffers are immutable once published: neither side writes to an array after handing it
 * over, which is what makes passing it by reference safe.
 */
public interface TensorTransport extends AutoCloseable {

  /** Stores {@code values} under {@code key}, replacing an earlier buffer of that key. */
  void publish(String key, float[] values) throws TensorTransferException;

  /** The buffer under {@code key}, waiting up to {@code wait} for it to be published. */
  float[] fetch(String key, Duration wait) throws TensorTransferException;

  /** True when buffers are passed by reference inside this JVM. */
  boolean isLocal();

  @Override
  void close();
}
