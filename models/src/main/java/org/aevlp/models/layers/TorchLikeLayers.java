package org.aevlp.models.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;

/**
 * DJL layers configured to behave like their PyTorch counterparts, so networks built here match
 * torchvision's layouts, hyper-parameters and initialisation (DESIGN.md §1).
 *
 * <ul>
 *   <li>Batch norm: PyTorch {@code momentum = 0.1}, {@code eps = 1e-5}. DJL's momentum is the
 *       weight of the <em>old</em> running statistic ({@code running = m·running + (1−m)·batch};
 *       its PyTorch engine passes {@code 1 − m} to libtorch), so PyTorch's 0.1 is DJL's 0.9.
 *       Running mean/var are DJL parameters that do not require gradients: they are buffers, not
 *       trainable parameters, exactly as in PyTorch.
 *   <li>{@link #kaimingConv}: weights ~ N(0, 2 / fan_out) with fan_out = out·kh·kw (torchvision's
 *       {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")}), no bias.
 *   <li>{@link #defaultConv}: PyTorch's default {@code Conv2d} initialisation
 *       (kaiming_uniform with a = √5, i.e. U(±1/√fan_in)), no bias.
 *   <li>{@link #linear}: PyTorch's default {@code Linear} initialisation, weight and bias
 *       U(±1/√fan_in).
 *   <li>BN weight (gamma) 1 and bias (beta) 0: DJL's defaults for those parameter types, which are
 *       PyTorch's.
 * </ul>
 */
public final class TorchLikeLayers {

  /** PyTorch's BatchNorm momentum (weight of the new batch statistic). */
  public static final float PYTORCH_BN_MOMENTUM = 0.1f;

  /** PyTorch's BatchNorm epsilon. */
  public static final float PYTORCH_BN_EPS = 1e-5f;

  private static final Initializer KAIMING_NORMAL_FAN_OUT =
      new XavierInitializer(RandomType.GAUSSIAN, FactorType.OUT, 2f);

  private static final Initializer UNIFORM_INV_SQRT_FAN_IN =
      new XavierInitializer(RandomType.UNIFORM, FactorType.IN, 1f);

  private TorchLikeLayers() {}

  /**
   * A bias-free square convolution with torchvision's ResNet initialisation.
   *
   * @param outChannels number of filters
   * @param kernel kernel side
   * @param stride stride on both axes
   * @param padding zero padding on both sides of both axes
   */
  public static Conv2d kaimingConv(int outChannels, int kernel, int stride, int padding) {
    Conv2d conv = conv(outChannels, kernel, stride, padding);
    conv.setInitializer(KAIMING_NORMAL_FAN_OUT, Parameter.Type.WEIGHT);
    return conv;
  }

  /** A bias-free square convolution with PyTorch's default initialisation. */
  public static Conv2d defaultConv(int outChannels, int kernel, int stride, int padding) {
    Conv2d conv = conv(outChannels, kernel, stride, padding);
    conv.setInitializer(UNIFORM_INV_SQRT_FAN_IN, Parameter.Type.WEIGHT);
    return conv;
  }

  /** A batch norm over axis 1 (NCHW channels, or the features of an N×F input). */
  public static BatchNorm batchNorm() {
    return BatchNorm.builder()
        .optMomentum(1f - PYTORCH_BN_MOMENTUM)
        .optEpsilon(PYTORCH_BN_EPS)
        .build();
  }

  /**
   * A fully connected layer with bias, initialised like PyTorch's {@code nn.Linear}.
   *
   * @param inFeatures fan-in; needed up front because the bias bound depends on it
   * @param outFeatures number of outputs
   */
  public static Block linear(long inFeatures, long outFeatures) {
    if (inFeatures <= 0 || outFeatures <= 0) {
      throw new IllegalArgumentException(
          "linear: in and out features must be positive, got " + inFeatures + "→" + outFeatures);
    }
    Linear linear = Linear.builder().setUnits(outFeatures).optBias(true).build();
    linear.setInitializer(UNIFORM_INV_SQRT_FAN_IN, Parameter.Type.WEIGHT);
    linear.setInitializer(
        new UniformInitializer((float) (1.0 / Math.sqrt(inFeatures))), Parameter.Type.BIAS);
    return linear;
  }

  private static Conv2d conv(int outChannels, int kernel, int stride, int padding) {
    return Conv2d.builder()
        .setFilters(outChannels)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(padding, padding))
        .optBias(false)
        .build();
  }
}
