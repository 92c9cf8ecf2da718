package org.aevlp.coordinator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.aevlp.common.runs.RunState;

/**
 * The coordinator's view of the cluster (DESIGN.md §8), set by whoever tracks it (the experiment
 * manager); as exported by the Prometheus registry:
 *
 * <pre>
 *   aevlp_cluster_workers_alive            workers registered and reachable
 *   aevlp_cluster_experiments{state}       experiments per state (queued, running, paused, completed, failed, cancelled)
 * </pre>
 *
 * Every state is registered up front at 0, so a state with no experiment reads 0 rather than
 * missing.
 */
public final class ClusterMetrics {

  private final GaugeValue workersAlive = new GaugeValue();
  private final Map<RunState, GaugeValue> experiments = new EnumMap<>(RunState.class);

  public ClusterMetrics(MeterRegistry registry) {
    workersAlive.set(0);
    Gauge.builder("aevlp.cluster.workers.alive", workersAlive, GaugeValue::get)
        .description("Training workers registered and reachable")
        .strongReference(true)
        .register(registry);
    for (RunState state : RunState.values()) {
      GaugeValue count = new GaugeValue();
      count.set(0);
      experiments.put(state, count);
      Gauge.builder("aevlp.cluster.experiments", count, GaugeValue::get)
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .description("Experiments in each state")
          .strongReference(true)
          .register(registry);
    }
  }

  /** Sets the number of live workers. */
  public void workersAlive(int count) {
    requireCount(count, "workers alive");
    workersAlive.set(count);
  }

  /** Sets the number of experiments in {@code state}. */
  public void experimentsInState(RunState state, int count) {
    requireCount(count, "experiments " + state);
    experiments.get(state).set(count);
  }

  private static void requireCount(int count, String what) {
    if (count < 0) {
      throw new IllegalArgumentException(what + ": must be >= 0, got " + count);
    }
  }
}
