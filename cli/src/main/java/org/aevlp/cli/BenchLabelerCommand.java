package org.aevlp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.labeler.bench.LabelerBenchmark;
import org.aevlp.labeler.bench.UntrainedTinyVlmScorer;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.labeler.service.LabelerDataset;
import org.aevlp.labeler.service.BuiltInScorers;
import org.aevlp.labeler.service.ScorerChoice;
import org.aevlp.labeler.service.ScorerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code aevlp bench labeler}: the labeler benchmark ({@link LabelerBenchmark}). */
@Command(
    name = "labeler",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Benchmark the labeler on loopback: dynamic batching vs none (max batch 1) at N concurrent clients, and "
          + "the second (cached) epoch vs the first. Prints key=value lines; the last two are the ratios.",
      "Without --data-dir a synthetic dataset is generated in a temporary directory. With --scorer tiny-vlm and no "
          + "usable pretrained model, the untrained tiny VLM (real towers, random weights) is used and the output says so.",
      "Exit codes: 0 done, 2 bad arguments, 3 the chosen scorer is not available here."
    })
final class BenchLabelerCommand implements Callable<Integer> {

  /** Exit code when the chosen scorer cannot be loaded here (e.g. no exported CLIP). */
  static final int EXIT_SCORER_UNAVAILABLE = 3;

  @Spec CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Synthetic dataset to use (default: generate one).")
  Path dataDir;

  @Option(names = "--samples", paramLabel = "N", description = "Samples labelled per phase (default: ${DEFAULT-VALUE}).")
  int samples = LabelerBenchmark.Options.defaults().samples();

  @Option(names = "--clients", paramLabel = "N", description = "Concurrent callers (default: ${DEFAULT-VALUE}).")
  int clients = LabelerBenchmark.Options.defaults().clients();

  @Option(names = "--samples-per-request", paramLabel = "N", description = "Samples per request (default: ${DEFAULT-VALUE}).")
  int samplesPerRequest = LabelerBenchmark.Options.defaults().samplesPerRequest();

  @Option(names = "--grid-size", paramLabel = "G", description = "DAMP grid size (default: ${DEFAULT-VALUE}).")
  int gridSize = LabelerBenchmark.Options.defaults().gridSize();

  @Option(names = "--max-batch", paramLabel = "N", description = "Images per batch with batching (default: ${DEFAULT-VALUE}).")
  int maxBatch = LabelerBenchmark.Options.defaults().maxBatch();

  @Option(names = "--max-delay-ms", paramLabel = "N", description = "Batching delay, ms (default: ${DEFAULT-VALUE}).")
  long maxDelayMs = LabelerBenchmark.Options.defaults().maxDelay().toMillis();

  @Option(names = "--actors", paramLabel = "N", description = "Labeler actors (default: ${DEFAULT-VALUE}).")
  int actors = LabelerBenchmark.Options.defaults().actors();

  @Option(names = "--rounds", paramLabel = "N", description = "Alternating batched/unbatched rounds; medians are compared (default: ${DEFAULT-VALUE}).")
  int rounds = LabelerBenchmark.Options.defaults().rounds();

  @Option(names = "--scorer", paramLabel = "NAME", description = "tiny-vlm or clip-torchscript (default: ${DEFAULT-VALUE}).")
  String scorer = "tiny-vlm";

  @Option(names = "--vlm-dir", paramLabel = "DIR", description = "Pretrained tiny VLM (for --scorer tiny-vlm).")
  Path vlmDir;

  @Option(names = "--clip-dir", paramLabel = "DIR", description = "Exported CLIP encoders (for --scorer clip-torchscript).")
  Path clipDir;

  @Option(names = "--input-size", paramLabel = "N", description = "View side of the untrained tiny VLM fallback (default: ${DEFAULT-VALUE}).")
  int inputSize = SyntheticSpec.DEFAULT_IMAGE_SIZE;

  private final ScorerFactory scorers;

  BenchLabelerCommand() {
    this(new BuiltInScorers());
  }

  BenchLabelerCommand(ScorerFactory scorers) {
    this.scorers = scorers;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    LabelerBenchmark.Options options;
    try {
      options = new LabelerBenchmark.Options(
          clients, samplesPerRequest, samples, gridSize, maxBatch, Duration.ofMillis(maxDelayMs), actors, rounds);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Path generated = null;
    try {
      Path dir = dataDir;
      if (dir == null) {
        generated = Files.createTempDirectory("aevlp-bench-labeler-");
        dir = generated.resolve("synthetic");
        new SyntheticDatasetGenerator().generate(dir, SyntheticSpec.defaults().withCounts(samples, 1, 0), done -> {});
        out.println("dataset_note=generated " + samples + " synthetic training images in " + dir);
      }
      LabelerDataset dataset = LabelerDataset.load("synthetic", dir);
      try (Scorer built = scorer(out, dataset)) {
        if (built == null) {
          return EXIT_SCORER_UNAVAILABLE;
        }
        new LabelerBenchmark(options, built, dataset, out).run();
      }
      return 0;
    } finally {
      if (generated != null) {
        deleteTree(generated);
      }
    }
  }

  /** The chosen scorer, the untrained tiny VLM when the pretrained one is unavailable, or null. */
  private Scorer scorer(PrintWriter out, LabelerDataset dataset) throws IOException {
    try {
      return scorers.create(new ScorerChoice(
          scorer, Optional.ofNullable(vlmDir), Optional.ofNullable(clipDir), dataset.classNames()));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (UnsupportedOperationException e) {
      if (!scorer.equals("tiny-vlm")) {
        spec.commandLine().getErr().println("aevlp bench labeler: " + e.getMessage());
        return null;
      }
      out.println("scorer_note=the pretrained tiny VLM is not available (" + e.getMessage() + "); using the untrained "
          + "tiny VLM: real towers with random weights, so these are throughput figures only");
      List<String> classes = DatasetCatalog.builtIn().get("synthetic").classNames();
      return UntrainedTinyVlmScorer.create(classes, inputSize, 1);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
