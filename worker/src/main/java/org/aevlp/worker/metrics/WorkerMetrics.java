package org.aevlp.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * One training worker's meters (DESIGN.md §8), tagged {@code worker}; as exported by the
 * Prometheus registry:
 *
 * <pre>
 *   aevlp_worker_step_phase_seconds_{count,sum,max}{phase}  time per micro-batch by phase:
 *       data           the replica waited for its prepared batch (decode, augment and labels not hidden by the prefetch)
 *       pseudo_labels  the labeler call for the batch, retries included (on the prefetch thread, so it
 *                      overlaps the previous step's compute when the prefetch hides it)
 *       compute        forward + backward + gradient flatten (+ the local update under local SGD)
 *   aevlp_worker_samples_trained_total      samples trained on
 *   aevlp_worker_samples_skipped_total      planned samples left out because their image could not be read
 *   aevlp_worker_images_per_second          the last micro-batch's samples / (data wait + compute)
 *   aevlp_worker_labeler_retries_total      labeler calls retried (unavailable, overloaded, deadline)
 * </pre>
 *
 * The {@code worker} tag names the worker actor on its node (e.g. {@code 10.0.3.7:2552/worker-1}),
 * bounded by the number of worker actors.
 */
public final class WorkerMetrics {

  private final Timer data;
  private final Timer pseudoLabels;
  private final Timer compute;
  private final Counter trained;
  private final Counter skipped;
  private final Counter labelerRetries;
  private volatile double imagesPerSecond = Double.NaN;

  /** Registers the meters of worker {@code worker} on {@code registry}. */
  public WorkerMetrics(MeterRegistry registry, String worker) {
    if (worker == null || worker.isBlank()) {
      throw new IllegalArgumentException("worker name must not be blank");
    }
    data = phase(registry, worker, "data");
    pseudoLabels = phase(registry, worker, "pseudo_labels");
    compute = phase(registry, worker, "compute");
    trained = Counter.builder("aevlp.worker.samples.trained").tag("worker", worker)
        .description("Samples this worker trained on").register(registry);
    skipped = Counter.builder("aevlp.worker.samples.skipped").tag("worker", worker)
        .description("Planned samples left out because their image could not be read").register(registry);
    labelerRetries = Counter.builder("aevlp.worker.labeler.retries").tag("worker", worker)
        .description("Labeler calls retried (labeler unavailable, overloaded or past the deadline)")
        .register(registry);
    Gauge.builder("aevlp.worker.images.per.second", this, m -> m.imagesPerSecond).tag("worker", worker)
        .description("Images per second of the last micro-batch: samples / (data wait + compute)")
        .strongReference(true)
        .register(registry);
  }

  private static Timer phase(MeterRegistry registry, String worker, String phase) {
    return Timer.builder("aevlp.worker.step.phase").tags("worker", worker, "phase", phase)
        .description("Time per micro-batch by phase: data (wait for the prepared batch), pseudo_labels (labeler"
            + " call), compute (forward, backward, flatten)")
        .register(registry);
  }

  /**
   * Records one trained micro-batch.
   *
   * @param usedSamples samples that contributed
   * @param skippedSamples planned samples whose image could not be read
   * @param dataSeconds time the replica waited for the prepared batch
   * @param computeSeconds forward, backward and flatten
   */
  public void microBatchTrained(int usedSamples, int skippedSamples, double dataSeconds, double computeSeconds) {
    trained.increment(usedSamples);
    skipped.increment(skippedSamples);
    data.record(nanos(dataSeconds), TimeUnit.NANOSECONDS);
    compute.record(nanos(computeSeconds), TimeUnit.NANOSECONDS);
    double busy = dataSeconds + computeSeconds;
    imagesPerSecond = busy > 0 ? usedSamples / busy : 0;
  }

  /** Records the duration of one labeler call for a micro-batch (retries included). */
  public void pseudoLabelsFetched(double seconds) {
    pseudoLabels.record(nanos(seconds), TimeUnit.NANOSECONDS);
  }

  /** Counts one retried labeler call. */
  public void labelerRetried() {
    labelerRetries.increment();
  }

  private static long nanos(double seconds) {
    return Math.max(0, Math.round(seconds * 1e9));
  }
}
