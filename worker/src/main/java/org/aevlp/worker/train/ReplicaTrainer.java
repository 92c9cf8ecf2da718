package org.aevlp.worker.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.aevlp.models.GradMode;
import org.aevlp.models.Network;

/**
 * One worker's model replica: forward, loss and backward on a micro-batch, and the optimizer step
 * with a gradient that may have been reduced across workers (DESIGN §3).
 *
 * <p>Everything crosses the replica's boundary as flat float buffers in a fixed order (see
 * {@link ParameterLayout}): gradients, parameters, Adam state and BatchNorm running statistics.
 * Each call allocates its temporaries in a sub-manager closed at the end of the call, so memory
 * stays flat over any number of steps.
 *
 * <p>DJL allows one gradient collector per JVM at a time: replicas sharing a JVM must not call
 * {@link #computeGradients} concurrently.
 */
public final class ReplicaTrainer implements AutoCloseable {

  private static final NDIndex ALL = new NDIndex("...");

  private final Block network;
  private final Shape sampleShape;
  private final NDManager manager;
  private final ParameterStore parameterStore;
  private final ParameterLayout trainable;
  private final ParameterLayout runningStatistics;
  private final AdamOptimizer optimizer;

  private ReplicaTrainer(Builder builder) {
    this.network = builder.network;
    this.sampleShape = builder.sampleShape;
    this.manager = NDManager.newBaseManager(builder.device);
    if (!network.isInitialized()) {
      Engine.getInstance().setRandomSeed(builder.seed);
      network.initialize(manager, DataType.FLOAT32, MicroBatch.batchOf(1, sampleShape));
    }
    this.parameterStore = new ParameterStore(manager, false);
    this.trainable = ParameterLayout.trainable(network, builder.isHeadParameter);
    this.runningStatistics = ParameterLayout.runningStatistics(network);
    this.optimizer =
        new AdamOptimizer(manager, trainable, builder.learningRate, builder.learningRate * builder.headLearningRateMultiplier);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Layout of gradients and parameters. */
  public ParameterLayout trainableLayout() {
    return trainable;
  }

  /** Layout of the BatchNorm running statistics. */
  public ParameterLayout runningStatisticsLayout() {
    return runningStatistics;
  }

  /**
   * Forward, loss and backward on one micro-batch. The parameters do not change; their gradients
   * are returned flat and cleared.
   */
  public GradientResult computeGradients(MicroBatch batch, Loss loss) {
    float[] gradient = new float[trainable.length()];
    double lossValue;
    try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray images = batch.imagesOn(step);
      NDList labels = batch.labelsOn(step);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDList predictions = network.forward(parameterStore, new NDList(images), true);
        NDArray value = loss.evaluate(labels, predictions);
        collector.backward(value);
        lossValue = value.getFloat();
      }
      for (ParameterLayout.Entry entry : trainable.entries()) {
        try (NDArray grad = entry.parameter().getArray().getGradient()) {
          float[] values = grad.toFloatArray();
          System.arraycopy(values, 0, gradient, (int) entry.offset(), values.length);
          grad.set(ALL, 0f);
        }
      }
    }
    return new GradientResult(gradient, batch.size(), lossValue * batch.size());
  }

  /** Applies a (reduced) gradient with Adam; every replica applying the same gradient stays identical. */
  public void applyGradients(float[] gradient) {
    applyGradients(gradient, false);
  }

  /**
   * Applies a gradient, optionally to the head only (backbone frozen during {@code linear_init}
   * epochs or with {@code freeze_feature_extractor}).
   */
  public void applyGradients(float[] gradient, boolean headOnly) {
    GradMode.offOnThisThread();
    try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      optimizer.step(gradient, step, headOnly);
    }
  }

  /** Sigmoid scores (N×classes, row-major) of a batch in inference mode. */
  public float[] predict(MicroBatch batch) {
    GradMode.offOnThisThread();
    try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray logits = network.forward(parameterStore, new NDList(batch.imagesOn(step)), false).singletonOrThrow();
      return Activation.sigmoid(logits).toFloatArray();
    }
  }

  public float[] parameters() {
    return FlatCopy.from(trainable);
  }

  public void setParameters(float[] values) {
    withStepManager(step -> FlatCopy.into(trainable, values, step));
  }

  public float[] runningStatistics() {
    return FlatCopy.from(runningStatistics);
  }

  public void setRunningStatistics(float[] values) {
    withStepManager(step -> FlatCopy.into(runningStatistics, values, step));
  }

  public OptimizerState optimizerState() {
    return optimizer.state();
  }

  public void setOptimizerState(OptimizerState state) {
    withStepManager(step -> optimizer.restore(state, step));
  }

  /** Everything needed to resume or to bring up an identical replica. */
  public Checkpoint checkpoint() {
    return new Checkpoint(parameters(), runningStatistics(), optimizerState());
  }

  public void restore(Checkpoint checkpoint) {
    setParameters(checkpoint.parameters());
    setRunningStatistics(checkpoint.runningStatistics());
    setOptimizerState(checkpoint.optimizer());
  }

  public void save(Path file) throws IOException {
    checkpoint().writeTo(file);
  }

  public void load(Path file) throws IOException {
    restore(Checkpoint.readFrom(file, trainable.length(), runningStatistics.length(), trainable.entries().size()));
  }

  private void withStepManager(Consumer<NDManager> action) {
    GradMode.offOnThisThread();
    try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      action.accept(step);
    }
  }

  @Override
  public void close() {
    optimizer.close();
    manager.close();
  }

  /** Builder; the network and sample shape are required, the rest defaults to the reference values. */
  public static final class Builder {
    private Block network;
    private Shape sampleShape;
    private Predicate<Parameter> isHeadParameter = parameter -> false;
    private Device device = Device.cpu();
    private double learningRate = 1e-5;
    private double headLearningRateMultiplier = 10;
    private int seed = 1200;

    private Builder() {}

    /** The network; initialised here (seeded) unless the caller already did, e.g. with pretrained weights. */
    public Builder network(Block network) {
      this.network = network;
      return this;
    }

    /** A classifier from the model factory: its block, head parameters and input shape. */
    public Builder network(Network network) {
      this.network = network.block();
      this.isHeadParameter = network::isHead;
      this.sampleShape = new Shape(3, network.spec().imageSize(), network.spec().imageSize());
      return this;
    }

    /** Shape of one sample, e.g. (3, 64, 64). */
    public Builder sampleShape(Shape sampleShape) {
      this.sampleShape = sampleShape;
      return this;
    }

    /** Tells head parameters (learning rate × multiplier). Default: none. */
    public Builder headParameters(Predicate<Parameter> isHeadParameter) {
      this.isHeadParameter = isHeadParameter;
      return this;
    }

    /** Device of the replica (default CPU). */
    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    /** Backbone learning rate (default 1e-5, the reference's). */
    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    /** Head learning rate = learning rate × this (default 10, the reference's lr_mult). */
    public Builder headLearningRateMultiplier(double multiplier) {
      this.headLearningRateMultiplier = multiplier;
      return this;
    }

    /** Seed of the parameter initialisation (default 1200). */
    public Builder seed(int seed) {
      this.seed = seed;
      return this;
    }

    public ReplicaTrainer build() {
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(sampleShape, "sampleShape");
      if (!(learningRate > 0) || !(headLearningRateMultiplier > 0)) {
        throw new IllegalArgumentException("learning rate and head multiplier must be > 0");
      }
      return new ReplicaTrainer(this);
    }
  }
}
