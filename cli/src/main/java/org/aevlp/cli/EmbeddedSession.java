package org.aevlp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.aevlp.cli.client.ExitCode;
import org.aevlp.cli.client.ExperimentClient;
import org.aevlp.cli.client.ExperimentFollower;
import org.aevlp.cli.client.ProgressRenderer;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.common.spec.ParsedSpec;
import org.aevlp.common.spec.SpecException;
import org.aevlp.common.spec.SpecJson;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.labeler.scorer.Scorer;
import org.aevlp.labeler.service.LabelerDataset;
import org.aevlp.labeler.service.ScorerChoice;
import org.aevlp.labeler.service.ScorerFactory;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.proto.v1.SubmitRequest;
import org.aevlp.proto.v1.SubmitResponse;

/**
 * The part {@code aevlp demo} and {@code aevlp local} share: reading a config with this machine's
 * overrides, building the labeler a spec needs, and submitting experiments to an embedded cluster
 * through the real gRPC client, following each to its end.
 */
final class EmbeddedSession {

  private EmbeddedSession() {}

  /**
   * A config file as a spec ready to submit: {@code dataDir} replaces data_dir (made absolute, since
   * the run records it), {@code epochs} replaces num_epochs; defaults filled and validated.
   */
  static ParsedSpec loadSpec(Path config, Optional<Path> dataDir, OptionalInt epochs)
      throws IOException, SpecException {
    ParsedSpec raw = SpecJson.parse(config);
    ExperimentSpec.Builder spec = raw.spec().toBuilder();
    Path data = dataDir.orElseGet(() -> Path.of(spec.getDataDir()));
    spec.setDataDir(data.toAbsolutePath().normalize().toString());
    epochs.ifPresent(spec::setNumEpochs);
    return new ParsedSpec(SpecLoader.builtIn().resolve(spec.build(), config.toString()), raw.warnings());
  }

  /**
   * The labeler a spec with pseudo-labels needs: its dataset read from the spec's data_dir (with the
   * spec's relation matrix, if it names one) and the scorer the spec names ({@code vlmDir} default: DATA_DIR/tiny-vlm).
   */
  static EmbeddedCluster.LabelerPart labelerFor(ExperimentSpec spec, ScorerFactory scorers, Optional<Path> vlmDir,
      Optional<Path> clipDir) throws IOException {
    Path data = Path.of(spec.getDataDir());
    LabelerDataset dataset = LabelerDataset.load(spec.getDataset(), data,
        spec.getRelation().isEmpty() ? Optional.empty() : Optional.of(Path.of(spec.getRelation())));
    Scorer scorer = scorers.create(new ScorerChoice(spec.getScorer(), vlmDir.or(() -> Optional.of(data.resolve(
        "tiny-vlm"))), clipDir, dataset.classNames()));
    return new EmbeddedCluster.LabelerPart(scorer, dataset);
  }

  /** An experiment to submit, with the label it is shown under. */
  record Submission(String label, ExperimentSpec spec) {}

  /** What became of the submissions, in order, and the exit code of the worst outcome. */
  record Outcome(List<Experiment> experiments, int exitCode) {}

  /**
   * Submits every spec to the cluster's ExperimentService (queued in order), then follows each to
   * its end with a progress display.
   */
  static Outcome submitAndFollow(EmbeddedCluster cluster, List<Submission> submissions, PrintWriter out,
      boolean progress) throws IOException {
    try (ExperimentClient client = ExperimentClient.connect(cluster.coordinatorTarget(), GrpcSecurity.none())) {
      List<String> ids = new ArrayList<>();
      for (Submission submission : submissions) {
        SubmitResponse response = client.submit(SubmitRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
            .setSpec(submission.spec()).build());
        ids.add(response.getExperimentId());
        out.printf("submitted %s as %s%n", submission.label(), response.getExperimentId());
      }
      out.flush();
      int exit = ExitCode.SUCCESS;
      ExperimentFollower follower = new ExperimentFollower(client);
      for (int i = 0; i < ids.size(); i++) {
        out.printf("%n== %s (%s)%n", submissions.get(i).label(), ids.get(i));
        out.flush();
        int code = follower.follow(ids.get(i), new ProgressRenderer(out, progress && System.console() != null,
            ProgressRenderer.DEFAULT_PLAIN_INTERVAL));
        exit = exit == ExitCode.SUCCESS ? code : exit;
      }
      List<Experiment> experiments = new ArrayList<>();
      for (String id : ids) {
        experiments.add(client.get(id));
      }
      return new Outcome(experiments, exit);
    }
  }
}
