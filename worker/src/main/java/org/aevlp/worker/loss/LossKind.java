package org.aevlp.worker.loss;

import ai.djl.training.loss.Loss;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The training losses an experiment spec can name, and the factory that makes the loss for an
 * epoch (DESIGN.md §4).
 */
public enum LossKind {
  /** {@link GprLoss}: the AEVLP loss. */
  GPR(GprLoss.NAME),
  /** {@link AnLoss}: assume negative. */
  AN(AnLoss.NAME),
  /** {@link AnPlLoss}: assume negative with pseudo-positives. */
  AN_PL(AnPlLoss.NAME),
  /** {@link FullLabelLoss}: BCE on the clean labels, the upper bound. */
  FULL(FullLabelLoss.NAME);

  private final String specName;

  LossKind(String specName) {
    this.specName = specName;
  }

  /** Returns the name experiment specs use ({@code "gpr_loss"}, ...). */
  public String specName() {
    return specName;
  }

  /**
   * Looks a loss up by its spec name.
   *
   * @param name {@code "gpr_loss"}, {@code "an_loss"}, {@code "an_pl_loss"} or {@code "full_loss"}
   * @return the kind
   * @throws IllegalArgumentException naming the accepted values when the name is unknown
   */
  public static LossKind fromSpecName(String name) {
    for (LossKind kind : values()) {
      if (kind.specName.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "loss: unknown name '" + name + "'; expected one of "
            + Arrays.stream(values()).map(LossKind::specName).collect(Collectors.joining(", ")));
  }

  /**
   * Makes the loss named by a spec for one epoch.
   *
   * @param name the spec's loss name
   * @param params the run's loss configuration (only GPR reads the schedule and weights)
   * @param epoch the 1-based epoch
   * @return the loss
   */
  public static Loss create(String name, GprParams params, int epoch) {
    return fromSpecName(name).forEpoch(params, epoch);
  }

  /**
   * Makes this loss for one epoch. Only GPR depends on the epoch; the others ignore it (QUIRKS Q10).
   *
   * @param params the run's loss configuration
   * @param epoch the 1-based epoch
   * @return the loss
   */
  public Loss forEpoch(GprParams params, int epoch) {
    Objects.requireNonNull(params, "params");
    return switch (this) {
      case GPR -> GprLoss.forEpoch(params, epoch);
      case AN -> new AnLoss();
      case AN_PL -> new AnPlLoss();
      case FULL -> new FullLabelLoss();
    };
  }

  /**
   * Whether the loss reads pseudo-labels as its second label array: GPR and AN+PL with {@code
   * use_pl} on.
   */
  public boolean readsPseudoLabels(GprParams params) {
    return (this == GPR || this == AN_PL) && params.usePl();
  }

  /** Whether the loss's label array holds the complete clean labels instead of the observed ones. */
  public boolean readsCleanLabels() {
    return this == FULL;
  }
}
