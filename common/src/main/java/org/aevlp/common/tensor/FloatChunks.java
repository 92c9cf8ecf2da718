package org.aevlp.common.tensor;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.aevlp.proto.v1.TensorChunk;

/**
 * Cuts float buffers into {@link TensorChunk}s of little-endian float32 and puts them back
 * together. Also views byte arrays whose length is a multiple of 4 as float buffers (bit for bit),
 * so a checkpoint's bytes can travel on the same channel.
 */
public final class FloatChunks {

  /** Largest chunk payload: 1 MiB. */
  public static final int MAX_CHUNK_BYTES = 1 << 20;

  /** Floats per full chunk. */
  public static final int CHUNK_FLOATS = MAX_CHUNK_BYTES / Float.BYTES;

  private FloatChunks() {}

  /** Number of chunks for a buffer of {@code floats} (one, empty, for an empty buffer). */
  public static int chunkCount(int floats) {
    return Math.max(1, (floats + CHUNK_FLOATS - 1) / CHUNK_FLOATS);
  }

  /** Chunk {@code index} of {@code values}. */
  public static TensorChunk chunk(String key, float[] values, int index) {
    int offset = index * CHUNK_FLOATS;
    int count = Math.min(CHUNK_FLOATS, values.length - offset);
    ByteBuffer bytes = ByteBuffer.allocate(count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values, offset, count);
    return TensorChunk.newBuilder()
        .setKey(key)
        .setTotalFloats(values.length)
        .setOffset(offset)
        .setData(UnsafeByteOperations.unsafeWrap(bytes.array()))
        .build();
  }

  /** Builds a buffer from its chunks, in order; checks that they fit together. */
  public static final class Assembler {
    private String key;
    private float[] values;
    private int received;

    /**
     * Adds the next chunk.
     *
     * @throws IllegalArgumentException naming the field that does not fit
     */
    public void add(TensorChunk chunk) {
      if (values == null) {
        if (chunk.getTotalFloats() < 0 || chunk.getTotalFloats() > Integer.MAX_VALUE - 8) {
          throw new IllegalArgumentException("total_floats: out of range: " + chunk.getTotalFloats());
        }
        key = chunk.getKey();
        values = new float[(int) chunk.getTotalFloats()];
      }
      if (!chunk.getKey().equals(key)) {
        throw new IllegalArgumentException("key: chunk for '" + chunk.getKey() + "' in the stream of '" + key + "'");
      }
      if (chunk.getTotalFloats() != values.length) {
        throw new IllegalArgumentException("total_floats: " + chunk.getTotalFloats() + " differs from the first chunk's "
            + values.length);
      }
      if (chunk.getOffset() != received) {
        throw new IllegalArgumentException("offset: expected " + received + ", got " + chunk.getOffset());
      }
      ByteString data = chunk.getData();
      if (data.size() % Float.BYTES != 0 || data.size() > MAX_CHUNK_BYTES
          || received + data.size() / Float.BYTES > values.length) {
        throw new IllegalArgumentException("data: " + data.size() + " bytes do not fit at offset " + received
            + " of " + values.length + " floats (chunks hold whole floats, at most " + MAX_CHUNK_BYTES + " bytes)");
      }
      int count = data.size() / Float.BYTES;
      data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, received, count);
      received += count;
    }

    /** Whether no chunk arrived yet. */
    public boolean isEmpty() {
      return values == null;
    }

    public String key() {
      return key;
    }

    /**
     * The whole buffer.
     *
     * @throws IllegalStateException when chunks are missing
     */
    public float[] result() {
      if (values == null) {
        throw new IllegalStateException("no chunk received");
      }
      if (received != values.length) {
        throw new IllegalStateException("tensor '" + key + "': received " + received + " of " + values.length
            + " floats");
      }
      return values;
    }
  }

  /** The bytes viewed as little-endian floats; the length must be a multiple of 4. */
  public static float[] fromBytes(byte[] bytes) {
    if (bytes.length % Float.BYTES != 0) {
      throw new IllegalArgumentException("bytes: length " + bytes.length + " is not a multiple of 4");
    }
    float[] values = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  /** Inverse of {@link #fromBytes}: bit for bit. */
  public static byte[] toBytes(float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return bytes.array();
  }
}
