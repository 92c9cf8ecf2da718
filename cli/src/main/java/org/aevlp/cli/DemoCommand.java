package org.aevlp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.aevlp.cli.client.ResultTable;
import org.aevlp.common.spec.ParsedSpec;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecVocabulary;
import org.aevlp.labeler.service.BuiltInScorers;
import org.aevlp.labeler.vlm.PretrainOptions;
import org.aevlp.labeler.vlm.PretrainedVlm;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code aevlp demo}: the first thing to run. Everything on one machine with nothing to download:
 * the synthetic dataset and the built-in VLM (made once, then cached), an embedded cluster
 * (coordinator + workers + labeler, real gRPC on loopback), and two experiments submitted through
 * the real client: AEVLP and the Assume-Negative baseline on the same data and seed.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run AEVLP (GPR loss + DAMP pseudo-labels from the built-in VLM) and the Assume-Negative baseline on the "
          + "synthetic dataset in an embedded cluster (coordinator + workers + labeler in this JVM, real gRPC on "
          + "loopback), show their progress, and end with a side-by-side table.",
      "First run: generates the dataset (~10 s) and pretrains the tiny VLM (~75 s on 2 free cores); later runs reuse both. "
          + "Whole demo on 2 free cores: 3 min first run, 78 s after (docs/BENCHMARKS.md, Demo).",
      "Exit codes: 0 both experiments completed, 1 one failed, 2 bad arguments, 3 a port in use."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "The AEVLP experiment (default: ${DEFAULT-VALUE}); the baseline is the same spec with loss an_loss and no pseudo-labels.")
  Path config = Path.of("configs", "synthetic.json");

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Synthetic dataset directory, generated when missing (default: ${DEFAULT-VALUE}).")
  Path dataDir = Path.of("data", "synthetic");

  @Mixin EmbeddedClusterOptions cluster;

  @Option(names = "--epochs", paramLabel = "N", description = "Epochs per experiment (default: the config's num_epochs).")
  Integer epochs;

  @Override
  public Integer call() throws Exception {
    if (epochs != null && epochs < 1) {
      throw new ParameterException(spec.commandLine(), "--epochs must be >= 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(config)) {
      err.println("aevlp demo: config " + config.toAbsolutePath() + " not found (run from the project directory, "
          + "or pass --config)");
      return 2;
    }
    cluster.apply(spec);
    QuietLogs.apply();
    long start = System.nanoTime();
    out.println("aevlp demo: AEVLP vs Assume Negative on the synthetic dataset, embedded cluster of " + cluster.workers
        + " workers + labeler");
    out.println("[1/4] dataset " + dataDir);
    out.flush();
    try {
      SyntheticAssets.ensureDataset(dataDir, out, cluster.progress());
    } catch (IllegalArgumentException e) {
      err.println("aevlp demo: --data-dir " + dataDir + ": " + e.getMessage());
      return 2;
    }
    out.println("[2/4] vision-language model " + dataDir.resolve("tiny-vlm"));
    out.flush();
    PretrainedVlm vlm = SyntheticAssets.ensureVlm(dataDir, dataDir.resolve("tiny-vlm"), PretrainOptions.defaults(),
        cluster.progress());
    SyntheticAssets.printTraining(out, vlm, dataDir.resolve("tiny-vlm"));
    vlm.close();

    ExperimentSpec aevlp;
    ExperimentSpec baseline;
    try {
      ParsedSpec parsed = EmbeddedSession.loadSpec(config, Optional.of(dataDir),
          epochs == null ? OptionalInt.empty() : OptionalInt.of(epochs));
      parsed.warnings().forEach(w -> err.println("warning: " + w));
      aevlp = parsed.spec();
      baseline = aevlp.toBuilder().setName(aevlp.getDataset() + "-an").setLoss(SpecVocabulary.AN_LOSS).setUsePl(false)
          .build();
    } catch (SpecException e) {
      err.println("aevlp demo: " + e.getMessage());
      return 2;
    }

    EmbeddedCluster embedded;
    try {
      embedded = cluster.start(
          Optional.of(EmbeddedSession.labelerFor(aevlp, new BuiltInScorers(), Optional.empty(), Optional.empty())));
    } catch (IOException e) {
      err.println("aevlp demo: cannot start the embedded cluster: " + e.getMessage());
      return 3;
    }
    try (embedded) {
      out.printf(Locale.ROOT, "[3/4] embedded cluster: ExperimentService %s, labeler 127.0.0.1:%d, metrics "
          + "http://127.0.0.1:%d/metrics%n", embedded.coordinatorTarget(), embedded.labelerPort().orElseThrow(),
          embedded.metricsPort());
      out.println("[4/4] experiments (queued in order, each on all workers)");
      out.flush();
      EmbeddedSession.Outcome outcome = EmbeddedSession.submitAndFollow(embedded, List.of(
          new EmbeddedSession.Submission("AEVLP (GPR + DAMP)", aevlp),
          new EmbeddedSession.Submission("AN baseline", baseline)), out, cluster.progress());
      out.println();
      out.println(ResultTable.comparison(outcome.experiments()).render());
      for (Experiment experiment : outcome.experiments()) {
        out.println("run directory: " + experiment.getRunDir());
      }
      out.printf(Locale.ROOT, "metrics were served at http://127.0.0.1:%d/metrics; total time %.0f s%n",
          embedded.metricsPort(), (System.nanoTime() - start) / 1e9);
      out.flush();
      return outcome.exitCode();
    }
  }
}
