package org.aevlp.worker.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where each parameter of a network lives in a flat float buffer.
 *
 * <p>The order is DJL's {@link Block#getParameters()} order (a depth-first walk of the block tree),
 * which is the same on every replica built from the same architecture: that is what lets workers
 * exchange gradients as bare float arrays. Trainable parameters (those that take gradients) and
 * BatchNorm running statistics (which do not) get separate layouts.
 */
public record ParameterLayout(List<Entry> entries, long totalFloats) {

  /** One parameter: its block-path name, shape, offset in the buffer and whether it is in the head. */
  public record Entry(String name, Parameter parameter, Shape shape, long offset, boolean head) {
    public long size() {
      return shape.size();
    }
  }

  public ParameterLayout {
    entries = List.copyOf(entries);
  }

  /** Trainable parameters of {@code block}, in gradient-exchange order. */
  static ParameterLayout trainable(Block block, Predicate<Parameter> isHead) {
    return collect(block, isHead, true);
  }

  /** Non-trainable parameters (BatchNorm running mean and variance), in order. */
  static ParameterLayout runningStatistics(Block block) {
    return collect(block, name -> false, false);
  }

  private static ParameterLayout collect(Block block, Predicate<Parameter> isHead, boolean trainable) {
    List<Entry> entries = new ArrayList<>();
    long offset = 0;
    for (Pair<String, Parameter> pair : block.getParameters()) {
      Parameter parameter = pair.getValue();
      if (parameter.requiresGradient() != trainable) {
        continue;
      }
      Shape shape = parameter.getArray().getShape();
      entries.add(new Entry(pair.getKey(), parameter, shape, offset, isHead.test(parameter)));
      offset += shape.size();
    }
    return new ParameterLayout(entries, offset);
  }

  /** Number of floats as an array length; buffers beyond 2^31 floats are not supported. */
  public int length() {
    return Math.toIntExact(totalFloats);
  }
}
