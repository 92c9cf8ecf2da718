package org.aevlp.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The worker's meters as Prometheus scrapes them. */
public class WorkerMetricsTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** The value of the one sample of {@code series} (name and labels as written in the scrape). */
  public static double sample(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    assertTrue(m.find(), "no sample " + series + " in\n" + scrape);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void microBatchesAddUpPerWorkerAndPhase() {
    WorkerMetrics one = new WorkerMetrics(registry, "10.0.0.1:2552/worker-1");
    WorkerMetrics two = new WorkerMetrics(registry, "10.0.0.2:2552/worker-1");
    one.microBatchTrained(6, 2, 0.25, 0.5);
    one.microBatchTrained(8, 0, 0.0, 0.5);
    one.pseudoLabelsFetched(0.125);
    two.microBatchTrained(3, 0, 0.1, 0.2);
    String scrape = registry.scrape();

    String w1 = "worker=\"10.0.0.1:2552/worker-1\"";
    assertEquals(14, sample(scrape, "aevlp_worker_samples_trained_total{" + w1 + "}"));
    assertEquals(2, sample(scrape, "aevlp_worker_samples_skipped_total{" + w1 + "}"));
    assertEquals(3, sample(scrape, "aevlp_worker_samples_trained_total{worker=\"10.0.0.2:2552/worker-1\"}"));
    assertEquals(2, sample(scrape, "aevlp_worker_step_phase_seconds_count{phase=\"compute\"," + w1 + "}"));
    assertEquals(1.0, sample(scrape, "aevlp_worker_step_phase_seconds_sum{phase=\"compute\"," + w1 + "}"), 1e-9);
    assertEquals(0.25, sample(scrape, "aevlp_worker_step_phase_seconds_sum{phase=\"data\"," + w1 + "}"), 1e-9);
    assertEquals(0.125,
        sample(scrape, "aevlp_worker_step_phase_seconds_sum{phase=\"pseudo_labels\"," + w1 + "}"), 1e-9);
    assertEquals(8 / 0.5, sample(scrape, "aevlp_worker_images_per_second{" + w1 + "}"), 1e-9,
        "the last micro-batch: samples / (data wait + compute)");
    assertTrue(scrape.contains("# TYPE aevlp_worker_samples_trained_total counter"), scrape);
  }

  @Test
  void retriesAreCountedAndThroughputIsNaNBeforeTheFirstBatch() {
    WorkerMetrics metrics = new WorkerMetrics(registry, "worker-1");
    metrics.labelerRetried();
    metrics.labelerRetried();
    String scrape = registry.scrape();
    assertEquals(2, sample(scrape, "aevlp_worker_labeler_retries_total{worker=\"worker-1\"}"));
    assertTrue(Double.isNaN(sample(scrape, "aevlp_worker_images_per_second{worker=\"worker-1\"}")));
  }
}
