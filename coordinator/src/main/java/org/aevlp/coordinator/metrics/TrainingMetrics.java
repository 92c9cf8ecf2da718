package org.aevlp.coordinator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.runs.EpochRecord;
import org.aevlp.common.runs.RunResult;
import org.aevlp.coordinator.runner.EpochSampleCount;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.StepProgress;

/**
 * One experiment's training meters, fed by the runner as a {@link RunListener} (DESIGN.md §8). All
 * carry the tag {@code experiment}; as exported by the Prometheus registry:
 *
 * <pre>
 *   aevlp_training_steps_total                      steps trained
 *   aevlp_training_samples_total                    samples trained (unreadable images left out)
 *   aevlp_training_loss                             mean loss of the last step
 *   aevlp_training_images_per_second                throughput of the last step (samples / step wall time)
 *   aevlp_training_workers                          workers that ran a micro-batch in the last step
 *   aevlp_training_step_seconds_{count,sum,max}     step wall time, micro-batches sent to last update applied
 *   aevlp_training_exchange_seconds_{count,sum,max} gradient exchange of a step: slowest push + reduction + slowest pull
 *   aevlp_training_epoch_seconds_{count,sum,max}    epoch wall time (training + validation)
 *   aevlp_training_val_map_ratio                    validation mAP of the last epoch, 0..1
 *   aevlp_training_pseudo_label_precision_ratio     pseudo-label precision of the last epoch, 0..1
 *   aevlp_training_pseudo_label_recall_ratio        pseudo-label recall of the last epoch, 0..1
 *   aevlp_training_pseudo_label_f1_ratio            pseudo-label F1 of the last epoch, 0..1
 *   aevlp_training_test_map_ratio                   test mAP of the best checkpoint, 0..1, once the run completed
 * </pre>
 *
 * Ratios follow the Prometheus base-unit rule (the run records keep percent). Gauges read NaN until
 * their first value. The meters stay registered after the run ends, so its final figures remain
 * scrapeable; {@link #close()} removes them.
 */
public final class TrainingMetrics implements RunListener, AutoCloseable {

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter steps;
  private final Counter samples;
  private final Timer stepTime;
  private final Timer exchangeTime;
  private final Timer epochTime;
  private final GaugeValue loss = new GaugeValue();
  private final GaugeValue imagesPerSecond = new GaugeValue();
  private final GaugeValue workers = new GaugeValue();
  private final GaugeValue valMap = new GaugeValue();
  private final GaugeValue precision = new GaugeValue();
  private final GaugeValue recall = new GaugeValue();
  private final GaugeValue f1 = new GaugeValue();
  private final GaugeValue testMap = new GaugeValue();

  /** Registers the meters of experiment {@code experimentId} on {@code registry}. */
  public TrainingMetrics(MeterRegistry registry, String experimentId) {
    if (experimentId == null || experimentId.isBlank()) {
      throw new IllegalArgumentException("experiment id must not be blank");
    }
    this.registry = registry;
    Tags tags = Tags.of("experiment", experimentId);
    steps = keep(Counter.builder("aevlp.training.steps").tags(tags)
        .description("Training steps finished").register(registry));
    samples = keep(Counter.builder("aevlp.training.samples").tags(tags)
        .description("Samples trained on (unreadable images left out)").register(registry));
    stepTime = keep(Timer.builder("aevlp.training.step").tags(tags)
        .description("Step wall time: micro-batches sent to the last replica's update").register(registry));
    exchangeTime = keep(Timer.builder("aevlp.training.exchange").tags(tags)
        .description("Gradient exchange of a step: slowest push + reduction + slowest pull").register(registry));
    epochTime = keep(Timer.builder("aevlp.training.epoch").tags(tags)
        .description("Epoch wall time (training + validation)").register(registry));
    gauge("aevlp.training.loss", tags, loss, "Mean training loss of the last step");
    gauge("aevlp.training.images.per.second", tags, imagesPerSecond,
        "Images per second of the last step (samples / step wall time)");
    gauge("aevlp.training.workers", tags, workers, "Workers that ran a micro-batch in the last step");
    gauge("aevlp.training.val.map.ratio", tags, valMap, "Validation mAP of the last epoch (0..1)");
    gauge("aevlp.training.pseudo.label.precision.ratio", tags, precision,
        "Pseudo-label precision of the last epoch, observed positives excluded (0..1)");
    gauge("aevlp.training.pseudo.label.recall.ratio", tags, recall,
        "Pseudo-label recall of the last epoch, observed positives excluded (0..1)");
    gauge("aevlp.training.pseudo.label.f1.ratio", tags, f1, "Pseudo-label F1 of the last epoch (0..1)");
    gauge("aevlp.training.test.map.ratio", tags, testMap, "Test mAP of the best checkpoint (0..1)");
  }

  @Override
  public void onStep(StepProgress progress) {
    steps.increment();
    samples.increment(progress.samples());
    loss.set(progress.loss());
    imagesPerSecond.set(progress.imagesPerSecond());
    workers.set(progress.workers());
    stepTime.record(nanos(progress.stepSeconds()), TimeUnit.NANOSECONDS);
    exchangeTime.record(nanos(progress.exchangeSeconds()), TimeUnit.NANOSECONDS);
  }

  @Override
  public void onEpoch(EpochRecord record, EpochSampleCount counts) {
    epochTime.record(nanos(record.seconds()), TimeUnit.NANOSECONDS);
    valMap.set(record.valMap() / 100);
    precision.set(record.plPrecision() / 100);
    recall.set(record.plRecall() / 100);
    f1.set(record.plF1() / 100);
  }

  @Override
  public void onCompleted(RunResult result) {
    testMap.set(result.testMap() / 100);
  }

  /** Removes this experiment's meters from the registry. */
  @Override
  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }

  private <M extends Meter> M keep(M meter) {
    meters.add(meter);
    return meter;
  }

  private void gauge(String name, Tags tags, GaugeValue value, String description) {
    keep(Gauge.builder(name, value, GaugeValue::get).tags(tags).description(description).strongReference(true)
        .register(registry));
  }

  private static long nanos(double seconds) {
    return Math.max(0, Math.round(seconds * 1e9));
  }
}
