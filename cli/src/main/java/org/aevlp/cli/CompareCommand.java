package org.aevlp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.aevlp.cli.client.CoordinatorException;
import org.aevlp.cli.client.ExitCode;
import org.aevlp.cli.client.ExperimentClient;
import org.aevlp.cli.client.ExperimentFollower;
import org.aevlp.cli.client.ProgressRenderer;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.common.grpc.TlsFiles;
import org.aevlp.common.spec.ParsedSpec;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecJson;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.common.spec.SpecVocabulary;
import org.aevlp.labeler.service.BuiltInScorers;
import org.aevlp.labeler.vlm.PretrainOptions;
import org.aevlp.labeler.vlm.PretrainedVlm;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.SubmitRequest;
import org.aevlp.proto.v1.SubmitResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aevlp compare}: the paper's comparison on one config. Every method (a spec
 * transformation, {@link CompareMethod}) runs on every seed ({@link ComparePlan}) through the
 * cluster's ExperimentService, embedded or real; the results become a method × figure table
 * ({@link CompareTable}) printed and written as Markdown and CSV.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run several methods on the same data and seeds and print a paper-style table: per method, test mAP mean "
          + "and standard deviation over seeds, pseudo-label precision/recall/F1 of the last epoch (methods with "
          + "pseudo-labels; else \"-\") and wall time; also written as compare.md, compare.csv and compare-runs.csv "
          + "(every run) into --out.",
      "Methods: full (full_loss, clean labels), an (an_loss), an_pl (an_pl_loss), gpr (gpr_loss, no pseudo-labels), "
          + "aevlp (gpr_loss + DAMP pseudo-labels); ablations of AEVLP: aevlp-global (DAMP from the global view only), "
          + "aevlp-no-eta (eta 0: every class takes alpha), aevlp-no-gcn (no GCN text refinement), aevlp-fixed-kv "
          + "(K/V at their epoch-1 values in every epoch); \"ablations\" names all four. Every other field is the "
          + "config's. An ablation that would run exactly aevlp's spec for this config is refused when named, "
          + "skipped when it comes from \"ablations\".",
      "Seeds: seed i (0-based) = the config's seed + i; split_seed stays the config's, so every run trains on the "
          + "same split.",
      "Resumable: each run is submitted with a request id derived from (config name, method, seed, spec), so "
          + "running the same command again reuses every finished run (and resumes an interrupted one from its "
          + "checkpoint) and only runs what is missing; a run that failed or was cancelled is run again.",
      "Exit codes: 0 every run completed, 1 a run failed or was cancelled, 2 bad arguments or spec, 3 a port in "
          + "use, 5 the coordinator unreachable."
    })
final class CompareCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CONFIG", description = "Experiment spec (JSON) the methods are derived from.")
  Path config;

  @Option(names = "--methods", paramLabel = "LIST", description = "Comma-separated methods (default: ${DEFAULT-VALUE}).")
  String methods = "full,an,an_pl,gpr,aevlp";

  @Option(names = "--seeds", paramLabel = "N", description = "Seeds per method (default: ${DEFAULT-VALUE}).")
  int seeds = 1;

  @Option(names = "--epochs", paramLabel = "N", description = "Override num_epochs.")
  Integer epochs;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Dataset directory (default: the config's data_dir; synthetic data is generated there when missing).")
  Path dataDir;

  @Mixin EmbeddedClusterOptions cluster;

  @Option(names = "--out", paramLabel = "DIR", description = "Where the tables are written (default: RUN_DIR/compare-<config name>).")
  Path out;

  @Option(names = "--coordinator", paramLabel = "HOST:PORT", description = "Submit to this coordinator instead of an embedded cluster.")
  String coordinator;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "With --coordinator: CA certificate (PEM) to trust.")
  Path tlsCa;

  @Option(names = "--token-file", paramLabel = "FILE", description = "With --coordinator: file holding the bearer token (default: env AEVLP_TOKEN).")
  Path tokenFile;

  @Option(names = "--vlm-dir", paramLabel = "DIR", description = "Tiny VLM directory for scorer tiny-vlm (default: DATA_DIR/tiny-vlm, pretrained when missing).")
  Path vlmDir;

  @Option(names = "--clip-dir", paramLabel = "DIR", description = "Exported CLIP TorchScript directory for scorer clip-torchscript (docs/CLIP.md).")
  Path clipDir;

  private PrintWriter stdout;
  private PrintWriter stderr;

  @Override
  public Integer call() throws Exception {
    stdout = spec.commandLine().getOut();
    stderr = spec.commandLine().getErr();
    long start = System.nanoTime();
    if (seeds < 1 || epochs != null && epochs < 1) {
      return badInput("--seeds and --epochs must be >= 1");
    }
    List<CompareMethod> chosen;
    try {
      chosen = CompareMethod.parse(methods);
    } catch (IllegalArgumentException e) {
      return badInput("--methods: " + e.getMessage());
    }
    String configName = config.getFileName().toString().replaceFirst("\\.json$", "");
    ExperimentSpec base;
    List<ComparePlan.Run> runs;
    try {
      base = loadConfig();
      chosen = dropRedundantAblations(chosen, base);
      runs = ComparePlan.runs(configName, base, chosen, seeds);
    } catch (SpecException | IllegalArgumentException e) {
      return badInput(e.getMessage());
    } catch (IOException e) {
      return badInput("cannot read CONFIG " + config + ": " + e.getMessage());
    }
    stdout.printf(Locale.ROOT, "aevlp compare %s: %s × %d seed(s) (%s) = %d runs, %d epochs each%n", configName,
        chosen.stream().map(CompareMethod::id).collect(Collectors.joining(", ")), seeds,
        runs.stream().map(ComparePlan.Run::seed).distinct().map(String::valueOf).collect(Collectors.joining(", ")),
        runs.size(), base.getNumEpochs());
    for (CompareMethod method : chosen) {
      stdout.printf("  %-15s %s%n", method.id(), method.description());
    }
    stdout.flush();

    List<CompareTable.Finished> finished;
    try {
      Optional<List<CompareTable.Finished>> result = coordinator == null ? runEmbedded(base, runs) : runRemote(runs);
      if (result.isEmpty()) {
        return 3;
      }
      finished = result.get();
    } catch (CoordinatorException e) {
      stdout.flush();
      stderr.println("aevlp compare: " + e.getMessage());
      stderr.flush();
      return e.exitCode();
    } catch (IllegalArgumentException e) {
      return badInput(e.getMessage());
    }

    CompareTable table = CompareTable.of(chosen, finished);
    Path outDir = out != null ? out : cluster.runDir.resolve("compare-" + configName);
    writeTables(outDir, configName, base, table);
    stdout.println();
    stdout.print(table.text());
    List<CompareTable.Finished> unfinished = finished.stream().filter(f -> !f.completed()).toList();
    for (CompareTable.Finished f : unfinished) {
      stdout.printf("not in the table: %s seed %d (%s) ended %s%s%n", f.run().method().id(), f.run().seed(),
          f.experiment().getExperimentId(), f.experiment().getState().name(),
          f.experiment().getError().isEmpty() ? "" : ": " + f.experiment().getError());
    }
    stdout.printf(Locale.ROOT, "tables written to %s (compare.md, compare.csv, compare-runs.csv); total time %.0f s%n",
        outDir, (System.nanoTime() - start) / 1e9);
    stdout.flush();
    return unfinished.isEmpty() ? ExitCode.SUCCESS : ExitCode.EXPERIMENT_FAILED;
  }

  /** The config with --data-dir and --epochs applied, defaults filled and validated. */
  private ExperimentSpec loadConfig() throws IOException, SpecException {
    ParsedSpec raw = SpecJson.parse(config);
    raw.warnings().forEach(w -> stderr.println("warning: " + w));
    ExperimentSpec.Builder b = raw.spec().toBuilder();
    if (dataDir != null) {
      b.setDataDir(dataDir.toAbsolutePath().normalize().toString());
    } else if (coordinator == null && !b.getDataDir().isEmpty()) {
      // The embedded coordinator runs here: the config's relative path means this directory.
      b.setDataDir(Path.of(b.getDataDir()).toAbsolutePath().normalize().toString());
    }
    if (epochs != null) {
      b.setNumEpochs(epochs);
    }
    return SpecLoader.builtIn().resolve(b.build(), config.toString());
  }

  /**
   * The methods without the ablations that would repeat aevlp's spec: one named on its own is an
   * error (the message says why), one that came from "ablations" is skipped with a note.
   */
  private List<CompareMethod> dropRedundantAblations(List<CompareMethod> chosen, ExperimentSpec base) {
    List<String> named = List.of(methods.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
    List<CompareMethod> kept = new ArrayList<>();
    for (CompareMethod method : chosen) {
      Optional<String> same = method.sameAsAevlp(base);
      if (same.isEmpty()) {
        kept.add(method);
      } else if (named.contains(method.id())) {
        throw new IllegalArgumentException("--methods: " + same.get());
      } else {
        stdout.println("skipped: " + same.get());
      }
    }
    return kept;
  }

  private Optional<List<CompareTable.Finished>> runEmbedded(ExperimentSpec base, List<ComparePlan.Run> runs)
      throws IOException, InterruptedException {
    cluster.apply(spec);
    QuietLogs.apply();
    Path data = Path.of(base.getDataDir());
    boolean pseudoLabels = runs.stream().anyMatch(r -> r.spec().getUsePl());
    if (base.getDataset().equals(SpecVocabulary.SYNTHETIC)) {
      SyntheticAssets.ensureDataset(data, stdout, cluster.progress());
      boolean vlmScorer = pseudoLabels && base.getScorer().equals(SpecVocabulary.TINY_VLM) && vlmDir == null;
      boolean vlmBackbone = base.getArch().equals(SpecVocabulary.TINY_VLM) && base.getUsePretrained();
      if (vlmScorer || vlmBackbone) {
        stdout.println("Tiny VLM " + data.resolve("tiny-vlm") + " (pretrained on the captions once, then reused) ...");
        stdout.flush();
        PretrainedVlm vlm = SyntheticAssets.ensureVlm(data, data.resolve("tiny-vlm"), PretrainOptions.defaults(),
            cluster.progress());
        SyntheticAssets.printTraining(stdout, vlm, data.resolve("tiny-vlm"));
        vlm.close();
      }
    } else if (!Files.isDirectory(data)) {
      throw new IllegalArgumentException("data_dir " + data + " is not a directory (pass --data-dir)");
    }
    Optional<EmbeddedCluster.LabelerPart> labeler = Optional.empty();
    if (pseudoLabels) {
      ExperimentSpec withLabels = runs.stream().map(ComparePlan.Run::spec).filter(ExperimentSpec::getUsePl)
          .findFirst().orElseThrow();
      labeler = Optional.of(EmbeddedSession.labelerFor(withLabels, new BuiltInScorers(), Optional.ofNullable(vlmDir),
          Optional.ofNullable(clipDir)));
    }
    EmbeddedCluster embedded;
    try {
      embedded = cluster.start(labeler);
    } catch (IOException e) {
      stderr.println("aevlp compare: cannot start the embedded cluster: " + e.getMessage());
      stderr.flush();
      return Optional.empty();
    }
    try (embedded; ExperimentClient client = ExperimentClient.connect(embedded.coordinatorTarget(),
        GrpcSecurity.none())) {
      stdout.printf("embedded cluster: %d workers%s; run store %s%n", cluster.workers,
          embedded.labelerPort().map(p -> " + labeler").orElse(""), cluster.runDir.toAbsolutePath());
      return Optional.of(submitAndFollow(client, runs));
    }
  }

  private Optional<List<CompareTable.Finished>> runRemote(List<ComparePlan.Run> runs) throws IOException {
    GrpcSecurity security = GrpcSecurity.load(Optional.ofNullable(tlsCa).map(TlsFiles::client),
        Optional.ofNullable(tokenFile), System.getenv());
    try (ExperimentClient client = ExperimentClient.connect(coordinator, security)) {
      stdout.println("coordinator " + coordinator);
      return Optional.of(submitAndFollow(client, runs));
    }
  }

  /** Submits every run (reusing finished ones), follows the unfinished to their end, and reads them all back. */
  private List<CompareTable.Finished> submitAndFollow(ExperimentClient client, List<ComparePlan.Run> runs) {
    List<String> ids = new ArrayList<>();
    for (ComparePlan.Run run : runs) {
      ids.add(submit(client, run));
    }
    stdout.flush();
    ExperimentFollower follower = new ExperimentFollower(client);
    for (int i = 0; i < runs.size(); i++) {
      Experiment current = client.get(ids.get(i));
      if (!ExitCode.isFinal(current.getState())) {
        stdout.printf("%n== %s seed %d (%s)%n", runs.get(i).method().id(), runs.get(i).seed(), ids.get(i));
        stdout.flush();
        follower.follow(ids.get(i), new ProgressRenderer(stdout, cluster.progress() && System.console() != null,
            ProgressRenderer.DEFAULT_PLAIN_INTERVAL));
      }
    }
    List<CompareTable.Finished> finished = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      finished.add(new CompareTable.Finished(runs.get(i), client.get(ids.get(i))));
    }
    return finished;
  }

  /**
   * The experiment of a run: the one an earlier compare submitted under the run's request id
   * unless it failed or was cancelled (then a next attempt is submitted), else a new one.
   */
  private String submit(ExperimentClient client, ComparePlan.Run run) {
    for (int attempt = 1; ; attempt++) {
      SubmitResponse response = client.submit(SubmitRequest.newBuilder().setRequestId(run.requestId(attempt))
          .setSpec(run.spec()).build());
      String id = response.getExperimentId();
      if (!response.getDuplicate()) {
        stdout.printf("submitted %s seed %d as %s%n", run.method().id(), run.seed(), id);
        return id;
      }
      ExperimentState state = client.get(id).getState();
      if (state != ExperimentState.FAILED && state != ExperimentState.CANCELLED) {
        stdout.printf("reusing %s seed %d: %s (%s)%n", run.method().id(), run.seed(), id, state.name());
        return id;
      }
      stdout.printf("%s seed %d: earlier attempt %s ended %s; running it again%n", run.method().id(), run.seed(), id,
          state.name());
    }
  }

  private void writeTables(Path outDir, String configName, ExperimentSpec base, CompareTable table)
      throws IOException {
    Files.createDirectories(outDir);
    String markdown = "# " + configName + ": method comparison\n\n"
        + String.format(Locale.ROOT, "Config %s (dataset %s, %d epochs, arch %s, %d seed(s) from %d). test mAP: mean "
            + "and sample standard deviation over seeds (percent); PL: pseudo-label precision/recall/F1 of the last "
            + "epoch, observed positives excluded, usual F1 (mean over seeds); wall time: mean seconds per run.%n%n",
            config, base.getDataset(), base.getNumEpochs(), base.getArch(), seeds, base.getSeed())
        + table.markdown();
    Files.writeString(outDir.resolve("compare.md"), markdown, StandardCharsets.UTF_8);
    Files.writeString(outDir.resolve("compare.csv"), table.csv(), StandardCharsets.UTF_8);
    Files.writeString(outDir.resolve("compare-runs.csv"), table.runsCsv(), StandardCharsets.UTF_8);
  }

  private int badInput(String message) {
    stdout.flush();
    stderr.println("aevlp compare: " + message);
    stderr.flush();
    return ExitCode.BAD_INPUT;
  }
}
