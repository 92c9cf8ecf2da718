package org.aevlp.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunResult;
import org.aevlp.common.runs.RunState;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.StepProgress;
import org.junit.jupiter.api.Test;

/** The training meters as Prometheus scrapes them: names, labels and values fed through RunListener. */
class TrainingMetricsTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** The value of the one sample of {@code series} (name and labels as written in the scrape). */
  static double sample(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    assertTrue(m.find(), "no sample " + series + " in\n" + scrape);
    return Double.parseDouble(m.group(1));
  }

  private static StepProgress step(double loss, int samples, double stepSeconds, double exchangeSeconds) {
    return new StepProgress(1, 3, 1, 10, loss, samples, 2, stepSeconds, stepSeconds - exchangeSeconds,
        exchangeSeconds);
  }

  @Test
  void stepsAddUpInCountersAndTheLastStepSetsTheGauges() {
    TrainingMetrics metrics = new TrainingMetrics(registry, "exp-1");
    metrics.onStep(step(0.9, 16, 0.5, 0.1));
    metrics.onStep(step(0.7, 14, 0.25, 0.05));
    String scrape = registry.scrape();

    assertEquals(2, sample(scrape, "aevlp_training_steps_total{experiment=\"exp-1\"}"));
    assertEquals(30, sample(scrape, "aevlp_training_samples_total{experiment=\"exp-1\"}"));
    assertEquals(0.7, sample(scrape, "aevlp_training_loss{experiment=\"exp-1\"}"), 1e-12);
    assertEquals(14 / 0.25, sample(scrape, "aevlp_training_images_per_second{experiment=\"exp-1\"}"), 1e-9);
    assertEquals(2, sample(scrape, "aevlp_training_workers{experiment=\"exp-1\"}"));
    assertEquals(2, sample(scrape, "aevlp_training_step_seconds_count{experiment=\"exp-1\"}"));
    assertEquals(0.75, sample(scrape, "aevlp_training_step_seconds_sum{experiment=\"exp-1\"}"), 1e-9);
    assertEquals(0.5, sample(scrape, "aevlp_training_step_seconds_max{experiment=\"exp-1\"}"), 1e-9);
    assertEquals(0.15, sample(scrape, "aevlp_training_exchange_seconds_sum{experiment=\"exp-1\"}"), 1e-9);
    assertTrue(scrape.contains("# TYPE aevlp_training_steps_total counter"), scrape);
    assertTrue(scrape.contains("# TYPE aevlp_training_loss gauge"), scrape);
  }

  @Test
  void epochAndResultFiguresAreExportedAsRatios() {
    TrainingMetrics metrics = new TrainingMetrics(registry, "exp-2");
    String before = registry.scrape();
    assertTrue(Double.isNaN(sample(before, "aevlp_training_val_map_ratio{experiment=\"exp-2\"}")),
        "no value before the first epoch");

    metrics.onEpoch(new EpochRecord(1, 0.4, 62.5, 80, 40, 53.3, 100, 0, 12.5, true, 0, 2),
        new EpochSampleCount(1, 100, 100, 100, 1, 0, 0));
    metrics.onEpoch(new EpochRecord(2, 0.3, 70, 90, 45, 60, 100, 0, 7.5, true, 0, 2),
        new EpochSampleCount(2, 100, 100, 100, 1, 0, 0));
    metrics.onCompleted(new RunResult(2, 70, 68.25, List.of(), 90, 45, 60, 20, "completed", 2));
    String scrape = registry.scrape();

    assertEquals(0.70, sample(scrape, "aevlp_training_val_map_ratio{experiment=\"exp-2\"}"), 1e-12);
    assertEquals(0.90, sample(scrape, "aevlp_training_pseudo_label_precision_ratio{experiment=\"exp-2\"}"), 1e-12);
    assertEquals(0.45, sample(scrape, "aevlp_training_pseudo_label_recall_ratio{experiment=\"exp-2\"}"), 1e-12);
    assertEquals(0.60, sample(scrape, "aevlp_training_pseudo_label_f1_ratio{experiment=\"exp-2\"}"), 1e-12);
    assertEquals(0.6825, sample(scrape, "aevlp_training_test_map_ratio{experiment=\"exp-2\"}"), 1e-12);
    assertEquals(2, sample(scrape, "aevlp_training_epoch_seconds_count{experiment=\"exp-2\"}"));
    assertEquals(20, sample(scrape, "aevlp_training_epoch_seconds_sum{experiment=\"exp-2\"}"), 1e-9);
  }

  @Test
  void experimentsKeepTheirOwnSeriesAndCloseRemovesThem() {
    TrainingMetrics first = new TrainingMetrics(registry, "a");
    TrainingMetrics second = new TrainingMetrics(registry, "b");
    first.onStep(step(1, 8, 1, 0.5));
    second.onStep(step(2, 4, 1, 0.5));
    second.onStep(step(2, 4, 1, 0.5));
    String scrape = registry.scrape();
    assertEquals(8, sample(scrape, "aevlp_training_samples_total{experiment=\"a\"}"));
    assertEquals(8, sample(scrape, "aevlp_training_samples_total{experiment=\"b\"}"));
    assertEquals(1, sample(scrape, "aevlp_training_steps_total{experiment=\"a\"}"));

    first.close();
    String after = registry.scrape();
    assertFalse(after.contains("experiment=\"a\""), after);
    assertEquals(2, sample(after, "aevlp_training_steps_total{experiment=\"b\"}"));
  }

  @Test
  void clusterGaugesStartAtZeroForEveryStateAndFollowTheirSetters() {
    ClusterMetrics cluster = new ClusterMetrics(registry);
    String initial = registry.scrape();
    for (String state : List.of("queued", "running", "paused", "completed", "failed", "cancelled")) {
      assertEquals(0, sample(initial, "aevlp_cluster_experiments{state=\"" + state + "\"}"), state);
    }
    assertEquals(0, sample(initial, "aevlp_cluster_workers_alive"));

    cluster.workersAlive(3);
    cluster.experimentsInState(RunState.RUNNING, 1);
    cluster.experimentsInState(RunState.QUEUED, 4);
    String scrape = registry.scrape();
    assertEquals(3, sample(scrape, "aevlp_cluster_workers_alive"));
    assertEquals(1, sample(scrape, "aevlp_cluster_experiments{state=\"running\"}"));
    assertEquals(4, sample(scrape, "aevlp_cluster_experiments{state=\"queued\"}"));
    assertEquals(0, sample(scrape, "aevlp_cluster_experiments{state=\"failed\"}"));
  }

  @Test
  void negativeCountsAreRejectedNamingTheGauge() {
    ClusterMetrics cluster = new ClusterMetrics(registry);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> cluster.workersAlive(-1));
    assertTrue(e.getMessage().contains("workers alive"), e.getMessage());
  }
}
