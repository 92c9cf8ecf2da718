package org.aevlp.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A built, initialised classifier and the facts training needs about its parameters.
 *
 * <h2>Parameter order</h2>
 *
 * {@link #parameters()} is {@code block.getParameters()}: a depth-first walk of the block tree in
 * child order, each block's own parameters before its children's — the backbone's parameters (stem,
 * stages 1–4, units in order; per unit the residual path then the shortcut; per conv its weight,
 * per batch norm gamma, beta, runningMean, runningVar), then the head's weight and bias. The order
 * is a pure function of the architecture, so every replica built from the same {@link NetworkSpec}
 * lists the same parameters in the same order; gradient exchange flattens {@link
 * #trainableParameters()} in this order, and BatchNorm running statistics ({@link
 * #runningStatistics()}, which take no gradient) are averaged separately (DESIGN.md §3).
 *
 * <h2>Head and backbone</h2>
 *
 * The head's learning rate is {@code lr × lr_mult}: {@link #isHead(Parameter)} and {@link
 * #headParameterIds()} tell the two groups apart (ids are unique per parameter object, names are
 * stable across replicas).
 *
 * @param spec what was built
 * @param block the whole classifier (N×3×H×W → N×C logits)
 * @param backbone the feature extractor inside {@code block}
 * @param head the linear head inside {@code block}
 * @param featureDim the head's fan-in
 */
public record Network(NetworkSpec spec, Block block, Block backbone, Block head, long featureDim) {

  /** All parameters of {@link #block()}, trainable or not, in the fixed order. */
  public List<Parameter> parameters() {
    return block.getParameters().values();
  }

  /** The parameters that take gradients, in the fixed order. */
  public List<Parameter> trainableParameters() {
    return parameters().stream().filter(Parameter::requiresGradient).toList();
  }

  /** The parameters that take no gradient (BatchNorm running mean/var), in the fixed order. */
  public List<Parameter> runningStatistics() {
    return parameters().stream().filter(p -> !p.requiresGradient()).toList();
  }

  /** Ids of the head's parameters. */
  public Set<String> headParameterIds() {
    return head.getParameters().values().stream().map(Parameter::getId).collect(Collectors.toSet());
  }

  /** Whether {@code parameter} belongs to the head (learning rate × lr_mult). */
  public boolean isHead(Parameter parameter) {
    return headParameterIds().contains(parameter.getId());
  }

  /** Number of trainable scalars in the backbone (BN running statistics excluded). */
  public long backboneParameterCount() {
    return trainableCount(backbone);
  }

  /** Number of trainable scalars in the head. */
  public long headParameterCount() {
    return trainableCount(head);
  }

  /**
   * Logits for {@code images} (N×3×H×W on the network's device); intermediates and the result are
   * attached to {@code images}' manager, so give it a sub-manager closed after use.
   *
   * @param training true for training mode (batch statistics, running statistics updated)
   */
  public NDArray forward(NDArray images, boolean training) {
    ParameterStore store = new ParameterStore(images.getManager(), false);
    return block.forward(store, new NDList(images), training).head();
  }

  private static long trainableCount(Block part) {
    return part.getParameters().values().stream()
        .filter(Parameter::requiresGradient)
        // the array's shape: imported TorchScript parameters leave Parameter.getShape() null
        .mapToLong(p -> p.getArray().getShape().size())
        .sum();
  }
}
