package org.aevlp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.aevlp.labeler.scorer.TinyVlmScorer;
import org.aevlp.labeler.vlm.PretrainOptions;
import org.aevlp.labeler.vlm.PretrainedVlm;
import org.aevlp.labeler.vlm.ZeroShotReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code aevlp labeler pretrain}: pretrains the built-in tiny VLM on the captioned split of the
 * synthetic dataset (generating the dataset first when the directory holds none), caches it, and
 * prints its zero-shot figures on the test split (DESIGN.md §6).
 */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Pretrain the built-in tiny VLM (scorer tiny-vlm) contrastively on the synthetic dataset's captioned "
          + "images, save it, and report its zero-shot mAP and DAMP pseudo-label quality on the test split.",
      "A cached model trained with the same parameters on the same captions is reused. The SPML images and "
          + "labels are used for the report only."
    })
public final class LabelerPretrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Synthetic dataset directory; generated with the default parameters when it holds none "
          + "(default: ${DEFAULT-VALUE}).")
  Path data = Path.of("data", "synthetic");

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Cache directory of the pretrained VLM (default: DATA/tiny-vlm).")
  Path out;

  @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs = PretrainOptions.DEFAULT_EPOCHS;

  @Option(names = "--seed", paramLabel = "N", description = "Training seed (default: ${DEFAULT-VALUE}).")
  long seed = PretrainOptions.DEFAULT_SEED;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "PyTorch intra-op threads for training and evaluation (default: ${DEFAULT-VALUE}; the tiny "
          + "networks gain little from more, and lose much when other processes share the cores). Dataset "
          + "generation uses all processors.")
  int threads = 1;

  @Option(names = "--no-progress", description = "Do not draw progress bars.")
  boolean noProgress;

  @Override
  public Integer call() throws InterruptedException {
    if (threads < 1) {
      throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + threads);
    }
    PretrainOptions options;
    try {
      options = PretrainOptions.defaults().withEpochs(epochs).withSeed(seed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "invalid parameters: " + e.getMessage());
    }
    // libtorch reads its thread counts once, when the engine starts: set them before any DJL call.
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    PrintWriter stdout = spec.commandLine().getOut();
    Path cache = out != null ? out : data.resolve("tiny-vlm");
    try {
      try {
        SyntheticAssets.ensureDataset(data, stdout, !noProgress);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--data: " + e.getMessage());
      }
      PretrainedVlm vlm = SyntheticAssets.ensureVlm(data, cache, options, !noProgress);
      SyntheticAssets.printTraining(stdout, vlm, cache);
      try (TinyVlmScorer scorer = new TinyVlmScorer(vlm)) {
        ZeroShotReport report = ZeroShotReport.evaluateSynthetic(scorer, data, options.seed());
        PretrainedVlm.recordZeroShot(cache, report);
        stdout.print(report.format());
        stdout.println(
            "  DESIGN.md §6 (PyTorch study): mAP 70 (softmax), 38.5 (raw cosine); DAMP g=2 precision 86.7, "
                + "recall 50.8, 0.88 extra positives per image");
      }
    } catch (IOException e) {
      spec.commandLine().getErr().println("aevlp labeler pretrain: " + e.getMessage());
      return 1;
    }
    stdout.flush();
    return 0;
  }
}
