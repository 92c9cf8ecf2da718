package org.aevlp.coordinator.training;

import java.util.Optional;

/**
 * The reference's early stop (QUIRKS S7): after each epoch, a val mAP that does not beat the best
 * so far (strictly) ends training when it is more than 2 points below the best, or when it is the
 * second non-improving epoch in a row. Immutable: {@link #observe} returns the next state.
 */
public record EarlyStopRule(double bestMap, int bestEpoch, int epochsWithoutImprovement) {

  static final double MAX_DROP = 2.0;
  static final int PATIENCE = 2;

  public static EarlyStopRule start() {
    return new EarlyStopRule(Double.NEGATIVE_INFINITY, 0, 0);
  }

  /** The state after an epoch with validation mAP {@code map} (percent). */
  public EarlyStopRule observe(int epoch, double map) {
    if (map > bestMap) {
      return new EarlyStopRule(map, epoch, 0);
    }
    return new EarlyStopRule(bestMap, bestEpoch, epochsWithoutImprovement + 1);
  }

  /** Whether the last observed epoch improved on every earlier one. */
  public boolean lastImproved() {
    return epochsWithoutImprovement == 0 && bestEpoch > 0;
  }

  /** Why training should stop after observing {@code lastMap}, if it should. */
  public Optional<String> stopReason(double lastMap) {
    if (epochsWithoutImprovement == 0) {
      return Optional.empty();
    }
    if (bestMap - lastMap > MAX_DROP) {
      return Optional.of(String.format(java.util.Locale.ROOT,
          "early_stop: val mAP %.2f fell more than %.0f points below the best %.2f (epoch %d)",
          lastMap, MAX_DROP, bestMap, bestEpoch));
    }
    if (epochsWithoutImprovement >= PATIENCE) {
      return Optional.of(String.format(java.util.Locale.ROOT,
          "early_stop: %d epochs without improving on val mAP %.2f (epoch %d)",
          epochsWithoutImprovement, bestMap, bestEpoch));
    }
    return Optional.empty();
  }
}
