package org.aevlp.labeler.scorer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A frozen TorchScript encoder: one tensor of N items in, one N×D tensor out, each row returned
 * scaled to unit L2 norm ({@link UnitRows}). Loaded by DJL's PyTorch engine from a local file
 * (TorchScript loads frozen, in eval mode) and always run with {@code training = false}.
 *
 * <p>Thread safety: concurrent {@link #embed} calls are safe. The loaded module is shared (libtorch
 * runs a module's forward from several threads), but a DJL {@link Predictor} is not thread-safe,
 * so each call makes its own predictor (a sub-manager and a parameter store that does not copy)
 * and closes it. Each chunk of at most {@code maxBatch} items gets its own NDManager scope,
 * closed before the next chunk, which owns the input and every array the forward pass returns.
 */
final class TorchScriptEncoder implements AutoCloseable {

  /** Builds the input tensor of items {@code [from, to)} in the given scope. */
  @FunctionalInterface
  interface ChunkInput {
    NDArray build(NDManager scope, int from, int to);
  }

  private final Path file;
  private final ZooModel<NDList, NDList> model;
  private final int maxBatch;

  private TorchScriptEncoder(Path file, ZooModel<NDList, NDList> model, int maxBatch) {
    this.file = file;
    this.model = model;
    this.maxBatch = maxBatch;
  }

  /**
   * Loads a TorchScript file ({@code torch.jit.save} output) onto a device.
   *
   * @throws IOException if the file cannot be read or is not a TorchScript module
   */
  static TorchScriptEncoder load(Path file, Device device, int maxBatch) throws IOException {
    String fileName = file.getFileName().toString();
    String modelName = fileName.endsWith(".pt") ? fileName.substring(0, fileName.length() - 3) : fileName;
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optEngine("PyTorch")
        .optModelPath(file)
        .optModelName(modelName)
        .optDevice(device)
        .optTranslator(new NoopTranslator())
        .build();
    try {
      return new TorchScriptEncoder(file, criteria.loadModel(), maxBatch);
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException(file + ": cannot be loaded as a TorchScript module: " + e.getMessage(), e);
    }
  }

  /** The file the module was loaded from. */
  Path file() {
    return file;
  }

  /**
   * Runs the module over {@code count} items, {@code maxBatch} at a time.
   *
   * @return {@code count} unit rows, in item order
   */
  float[][] embed(int count, ChunkInput input) {
    Objects.requireNonNull(input, "input");
    float[][] rows = new float[count][];
    try (Predictor<NDList, NDList> predictor = model.newPredictor()) {
      for (int from = 0; from < count; from += maxBatch) {
        int to = Math.min(count, from + maxBatch);
        try (NDManager scope = model.getNDManager().newSubManager()) {
          // the outputs of a TorchScript forward land in the input's manager, i.e. this scope
          NDList output = predictor.predict(new NDList(input.build(scope, from, to)));
          float[][] chunk = unitRows(output, to - from);
          System.arraycopy(chunk, 0, rows, from, chunk.length);
        }
      }
    } catch (TranslateException e) {
      throw new IllegalStateException(file + ": forward pass failed: " + e.getMessage(), e);
    }
    return rows;
  }

  private float[][] unitRows(NDList output, int expectedRows) {
    if (output.size() != 1) {
      throw new IllegalStateException(
          file + ": the module returned " + output.size() + " tensors; it must return one N×D tensor");
    }
    NDArray embeddings = output.head();
    Shape shape = embeddings.getShape();
    if (shape.dimension() != 2 || shape.get(0) != expectedRows) {
      throw new IllegalStateException(
          file + ": the module returned shape " + shape + " for " + expectedRows
              + " items; it must return one row per item (N×D)");
    }
    double[] flat = embeddings.toType(DataType.FLOAT64, false).toDoubleArray();
    return UnitRows.of(flat, expectedRows, (int) shape.get(1), file.getFileName().toString());
  }

  /** Arrays alive in the model's manager and its sub-managers; per-call ones must not add up. */
  int liveArrays() {
    return model.getNDManager().getManagedArrays().size();
  }

  @Override
  public void close() {
    model.close();
  }
}
