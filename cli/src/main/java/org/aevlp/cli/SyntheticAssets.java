package org.aevlp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.labeler.vlm.PretrainOptions;
import org.aevlp.labeler.vlm.PretrainProgress;
import org.aevlp.labeler.vlm.PretrainSummary;
import org.aevlp.labeler.vlm.PretrainedVlm;

/**
 * What the synthetic setting needs on disk before anything trains: the dataset (default
 * parameters) and the pretrained tiny VLM, each made once and reused from its cache, with progress
 * bars while they are made.
 */
final class SyntheticAssets {

  private SyntheticAssets() {}

  /** Whether {@code data} holds a complete generated dataset. */
  static boolean datasetComplete(Path data) throws IOException {
    Path marker = data.resolve(SyntheticDatasetGenerator.MARKER_FILE);
    return Files.isRegularFile(marker)
        && Files.readAllLines(marker, StandardCharsets.UTF_8).contains("state=complete");
  }

  /**
   * Generates the default synthetic dataset in {@code data} unless it is complete there.
   *
   * @throws IllegalArgumentException when {@code data} holds something else (the generator's message)
   */
  static void ensureDataset(Path data, PrintWriter out, boolean progress) throws IOException, InterruptedException {
    if (datasetComplete(data)) {
      return;
    }
    SyntheticSpec defaults = SyntheticSpec.defaults();
    out.println("Generating the synthetic dataset in " + data + " ...");
    out.flush();
    try (ProgressBar bar = progress ? bar("synthetic images", defaults.totalImages()) : null) {
      new SyntheticDatasetGenerator().generate(data, defaults, done -> {
        if (bar != null) {
          bar.stepTo(done);
        }
      });
    }
  }

  /** The tiny VLM pretrained on {@code data}'s captions, cached in {@code cache}. */
  static PretrainedVlm ensureVlm(Path data, Path cache, PretrainOptions options, boolean progress)
      throws IOException {
    try (TrainingBar bar = new TrainingBar(options, !progress)) {
      return PretrainedVlm.loadOrTrain(cache, data.resolve(SyntheticDatasetGenerator.CAPTIONS_DIR), options, bar);
    }
  }

  static void printTraining(PrintWriter out, PretrainedVlm vlm, Path cache) {
    PretrainSummary summary = vlm.summary();
    out.printf(Locale.ROOT, "Tiny VLM in %s (%s)%n", cache,
        vlm.reused() ? "reused: same parameters and captions as the cache" : "trained");
    out.printf(Locale.ROOT, "  %d captioned images, %d epochs, %d steps, %.1f s; loss %.3f -> %.3f; temperature %.4f%n",
        vlm.captionedImages(), vlm.options().epochs(), summary.steps(), summary.seconds(),
        summary.epochLosses().isEmpty() ? Double.NaN : summary.epochLosses().get(0),
        summary.epochLosses().isEmpty() ? Double.NaN : summary.epochLosses().get(summary.epochLosses().size() - 1),
        1.0 / vlm.logitScale());
    out.flush();
  }

  private static ProgressBar bar(String task, long total) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUpdateIntervalMillis(250).build();
  }

  /** A progress bar over all training steps, created at the first step (a cache hit draws none). */
  private static final class TrainingBar implements PretrainProgress, AutoCloseable {
    private final PretrainOptions options;
    private final boolean disabled;
    private ProgressBar bar;

    TrainingBar(PretrainOptions options, boolean disabled) {
      this.options = options;
      this.disabled = disabled;
    }

    @Override
    public void onStep(int epoch, int step, int stepsPerEpoch, double loss) {
      if (disabled) {
        return;
      }
      if (bar == null) {
        bar = bar("tiny VLM pretraining", (long) stepsPerEpoch * options.epochs());
      }
      bar.stepTo((long) (epoch - 1) * stepsPerEpoch + step);
      bar.setExtraMessage(String.format(Locale.ROOT, "epoch %d/%d loss %.3f", epoch, options.epochs(), loss));
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
