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
import org.aevlp.labeler.service.BuiltInScorers;
import org.aevlp.labeler.vlm.PretrainOptions;
import org.aevlp.proto.v1.ExperimentSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code aevlp local}: one experiment of any config on an embedded cluster (coordinator, workers
 * and, when the spec uses pseudo-labels, a labeler, all in this JVM with real gRPC on loopback).
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run one experiment on an embedded cluster: coordinator + --workers workers (+ a labeler when the spec "
          + "uses pseudo-labels) in this JVM, submitted and followed through the real gRPC client.",
      "Real datasets work when their files are in --data-dir (formatted_*.npy and the images; see README). The "
          + "synthetic dataset and its tiny VLM are made when missing.",
      "Exit codes: 0 completed, 1 failed, 2 bad arguments or spec, 3 a port in use, 4 cancelled."
    })
final class LocalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Experiment spec (JSON, reference keys).")
  Path config;

  @Mixin EmbeddedClusterOptions cluster;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Dataset directory (default: the spec's data_dir).")
  Path dataDir;

  @Option(names = "--epochs", paramLabel = "N", description = "Override num_epochs.")
  Integer epochs;

  @Option(names = "--vlm-dir", paramLabel = "DIR", description = "Tiny VLM directory for scorer tiny-vlm (default: DATA_DIR/tiny-vlm).")
  Path vlmDir;

  @Option(names = "--clip-dir", paramLabel = "DIR", description = "Exported CLIP TorchScript directory for scorer clip-torchscript (docs/CLIP.md).")
  Path clipDir;

  @Override
  public Integer call() throws Exception {
    if (epochs != null && epochs < 1) {
      throw new ParameterException(spec.commandLine(), "--epochs must be >= 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ExperimentSpec experiment;
    try {
      ParsedSpec parsed = EmbeddedSession.loadSpec(config, Optional.ofNullable(dataDir),
          epochs == null ? OptionalInt.empty() : OptionalInt.of(epochs));
      parsed.warnings().forEach(w -> err.println("warning: " + w));
      experiment = parsed.spec();
    } catch (SpecException e) {
      err.println("aevlp local: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("aevlp local: cannot read --config " + config + ": " + e.getMessage());
      return 2;
    }
    Path data = Path.of(experiment.getDataDir());
    cluster.apply(spec);
    QuietLogs.apply();
    if (experiment.getDataset().equals("synthetic")) {
      SyntheticAssets.ensureDataset(data, out, cluster.progress());
      if (experiment.getUsePl() && experiment.getScorer().equals("tiny-vlm") && vlmDir == null
          || experiment.getArch().equals("tiny-vlm") && experiment.getUsePretrained()) {
        SyntheticAssets.ensureVlm(data, data.resolve("tiny-vlm"), PretrainOptions.defaults(), cluster.progress()).close();
      }
    } else if (!Files.isDirectory(data)) {
      err.println("aevlp local: data_dir " + data + " is not a directory (pass --data-dir with the dataset's files)");
      return 2;
    }
    Optional<EmbeddedCluster.LabelerPart> labeler = Optional.empty();
    if (experiment.getUsePl()) {
      try {
        labeler = Optional.of(EmbeddedSession.labelerFor(experiment, new BuiltInScorers(), Optional.ofNullable(vlmDir),
            Optional.ofNullable(clipDir)));
      } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
        err.println("aevlp local: cannot start the labeler (scorer " + experiment.getScorer() + "): " + e.getMessage());
        return 2;
      }
    }
    EmbeddedCluster embedded;
    try {
      embedded = cluster.start(labeler);
    } catch (IOException e) {
      err.println("aevlp local: cannot start the embedded cluster: " + e.getMessage());
      return 3;
    }
    try (embedded) {
      out.printf(Locale.ROOT, "embedded cluster: %d workers%s; ExperimentService %s; metrics http://127.0.0.1:%d/metrics%n",
          cluster.workers, embedded.labelerPort().map(p -> " + labeler 127.0.0.1:" + p).orElse(""),
          embedded.coordinatorTarget(), embedded.metricsPort());
      out.flush();
      EmbeddedSession.Outcome outcome = EmbeddedSession.submitAndFollow(embedded,
          List.of(new EmbeddedSession.Submission(experiment.getName(), experiment)), out, cluster.progress());
      out.println();
      out.println(ResultTable.comparison(outcome.experiments()).render());
      out.println("run directory: " + outcome.experiments().get(0).getRunDir());
      out.flush();
      return outcome.exitCode();
    }
  }
}
