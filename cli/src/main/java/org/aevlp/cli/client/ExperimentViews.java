package org.aevlp.cli.client;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.aevlp.proto.v1.EpochResult;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentSpec;

/** The table-mode text of {@code aevlp list} and {@code aevlp get}. */
public final class ExperimentViews {

  /** Spec fields worth a glance in {@code get}, in this order; others are in the JSON output. */
  private static final List<String> SUMMARY_FIELDS =
      List.of("dataset", "data_dir", "arch", "loss", "use_pl", "num_epochs", "bsize", "lr", "image_size", "seed",
          "per_worker_bsize", "max_workers");

  private ExperimentViews() {}

  /** One row per experiment: id, name, state, epochs done/planned, best val mAP, test mAP, submitted, run dir. */
  public static ResultTable listTable(List<Experiment> experiments, ZoneId zone) {
    ResultTable table =
        new ResultTable(
            List.of("ID", "NAME", "STATE", "EPOCHS", "BEST VAL mAP", "TEST mAP", "SUBMITTED", "RUN DIR"),
            List.of(ResultTable.Align.LEFT, ResultTable.Align.LEFT, ResultTable.Align.LEFT, ResultTable.Align.RIGHT,
                ResultTable.Align.RIGHT, ResultTable.Align.RIGHT, ResultTable.Align.LEFT, ResultTable.Align.LEFT));
    for (Experiment e : experiments) {
      table.addRow(
          e.getExperimentId(),
          orNone(e.getSpec().getName()),
          e.getState().name(),
          epochsDone(e),
          bestValMap(e),
          e.hasResult() ? Figures.percent(e.getResult().getTestMap()) : Figures.NONE,
          Figures.time(e.getSubmittedAtMs(), zone),
          orNone(e.getRunDir()));
    }
    return table;
  }

  /** Everything {@code get} shows: identity, state and times, a spec summary, the epochs and the result. */
  public static String detail(Experiment e, ZoneId zone) {
    StringBuilder text = new StringBuilder();
    text.append("experiment ").append(e.getExperimentId());
    if (!e.getSpec().getName().isEmpty()) {
      text.append(" (").append(e.getSpec().getName()).append(')');
    }
    text.append('\n');
    ResultTable facts = new ResultTable(List.of(), List.of(ResultTable.Align.LEFT, ResultTable.Align.LEFT));
    facts.addRow("state", e.getState().name());
    if (!e.getError().isEmpty()) {
      facts.addRow("error", e.getError());
    }
    facts.addRow("submitted", Figures.time(e.getSubmittedAtMs(), zone));
    facts.addRow("started", Figures.time(e.getStartedAtMs(), zone));
    facts.addRow("finished", Figures.time(e.getFinishedAtMs(), zone));
    facts.addRow("epochs", epochsDone(e));
    facts.addRow("run dir", orNone(e.getRunDir()));
    facts.addRow("spec", specSummary(e.getSpec()));
    text.append(facts.render());
    if (e.hasProgress() && !ExitCode.isFinal(e.getState())) {
      text.append("\nprogress: ").append(ProgressRenderer.progressLine(e.getProgress())).append('\n');
    }
    if (e.getEpochsCount() > 0) {
      text.append('\n').append(epochTable(e.getEpochsList()).render());
    }
    if (e.hasResult()) {
      text.append("\nresult:\n").append(ResultTable.finalResult(e.getResult()).render());
    }
    return text.toString();
  }

  /** One row per finished epoch. */
  public static ResultTable epochTable(List<EpochResult> epochs) {
    ResultTable table =
        ResultTable.labelled(
            List.of("EPOCH", "TRAIN LOSS", "VAL mAP", "PL P", "PL R", "PL F1", "SAMPLES", "SKIPPED", "TIME", "BEST"));
    for (EpochResult r : epochs) {
      boolean noPl = r.getPlPrecision() == 0 && r.getPlRecall() == 0 && r.getPlF1() == 0;
      table.addRow(
          Integer.toString(r.getEpoch()),
          Figures.loss(r.getTrainLoss()),
          Figures.percent(r.getValMap()),
          noPl ? Figures.NONE : Figures.percent(r.getPlPrecision()),
          noPl ? Figures.NONE : Figures.percent(r.getPlRecall()),
          noPl ? Figures.NONE : Figures.percent(r.getPlF1()),
          Long.toString(r.getSamplesTrained()),
          Long.toString(r.getSamplesSkipped()),
          Figures.duration(r.getSeconds()),
          r.getBest() ? "*" : "");
    }
    return table;
  }

  /** {@code key=value} for the summary fields that are set, space-separated. */
  static String specSummary(ExperimentSpec spec) {
    List<String> parts = new ArrayList<>();
    for (String name : SUMMARY_FIELDS) {
      FieldDescriptor field = ExperimentSpec.getDescriptor().findFieldByName(name);
      boolean set = field.hasPresence() ? spec.hasField(field) : !spec.getField(field).equals(field.getDefaultValue());
      if (set) {
        parts.add(name + "=" + spec.getField(field));
      }
    }
    return parts.isEmpty() ? Figures.NONE : String.join(" ", parts);
  }

  /** {@code done/planned}; planned from the spec, else from the latest progress, else "?". */
  static String epochsDone(Experiment e) {
    int planned =
        e.getSpec().hasNumEpochs() ? e.getSpec().getNumEpochs() : e.hasProgress() ? e.getProgress().getNumEpochs() : 0;
    return e.getEpochsCount() + "/" + (planned > 0 ? Integer.toString(planned) : "?");
  }

  private static String bestValMap(Experiment e) {
    if (e.hasResult()) {
      return Figures.percent(e.getResult().getBestValMap());
    }
    return e.getEpochsList().stream()
        .mapToDouble(EpochResult::getValMap)
        .max()
        .stream()
        .mapToObj(Figures::percent)
        .findFirst()
        .orElse(Figures.NONE);
  }

  private static String orNone(String text) {
    return text.isEmpty() ? Figures.NONE : text;
  }
}
