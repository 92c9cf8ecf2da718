package org.aevlp.worker.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A replica's full training state: parameters, BatchNorm running statistics and Adam state.
 *
 * <p>Binary form: the ASCII magic {@code AEVLPCK1}, then (big-endian ints) the three buffer lengths
 * and the parameter count, then the per-parameter Adam steps (longs) and the float buffers
 * (parameters, running statistics, first moments, second moments) in little-endian order.
 */
public record Checkpoint(float[] parameters, float[] runningStatistics, OptimizerState optimizer) {

  private static final byte[] MAGIC = "AEVLPCK1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(
        16 + 4 * (parameters.length * 3 + runningStatistics.length) + 8 * optimizer.steps().length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeInt(parameters.length);
      out.writeInt(runningStatistics.length);
      out.writeInt(optimizer.steps().length);
      for (long step : optimizer.steps()) {
        out.writeLong(step);
      }
      writeFloats(out, parameters);
      writeFloats(out, runningStatistics);
      writeFloats(out, optimizer.firstMoments());
      writeFloats(out, optimizer.secondMoments());
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Parses a checkpoint and checks it fits a replica of the given sizes.
   *
   * @throws IOException naming what does not match (a checkpoint of another architecture, say)
   */
  public static Checkpoint fromBytes(byte[] data, int parameterFloats, int statisticFloats, int parameterCount)
      throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      byte[] magic = in.readNBytes(MAGIC.length);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException("not an aevlp checkpoint (bad magic)");
      }
      int p = in.readInt();
      int s = in.readInt();
      int n = in.readInt();
      if (p != parameterFloats || s != statisticFloats || n != parameterCount) {
        throw new IOException("checkpoint is for another network: " + p + " parameter floats, " + s
            + " statistics, " + n + " parameters; this replica has " + parameterFloats + ", " + statisticFloats
            + ", " + parameterCount);
      }
      long[] steps = new long[n];
      for (int i = 0; i < n; i++) {
        steps[i] = in.readLong();
      }
      float[] parameters = readFloats(in, p);
      float[] statistics = readFloats(in, s);
      float[] first = readFloats(in, p);
      float[] second = readFloats(in, p);
      return new Checkpoint(parameters, statistics, new OptimizerState(steps, first, second));
    } catch (java.io.EOFException e) {
      throw new IOException("checkpoint is truncated", e);
    }
  }

  /** Writes atomically: a crash leaves either the old file or the new one, never half of one. */
  public void writeTo(Path file) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temp, toBytes());
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  public static Checkpoint readFrom(Path file, int parameterFloats, int statisticFloats, int parameterCount)
      throws IOException {
    try {
      return fromBytes(Files.readAllBytes(file), parameterFloats, statisticFloats, parameterCount);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    out.write(buffer.array());
  }

  private static float[] readFloats(DataInputStream in, int count) throws IOException {
    byte[] raw = new byte[count * 4];
    in.readFully(raw);
    float[] values = new float[count];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }
}
