package org.aevlp.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aevlp.cli.client.ResultTable;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.FinalResult;

/**
 * The paper-style table of {@code aevlp compare}: one row per method with the completed runs'
 * test mAP mean and sample standard deviation over seeds, the mean pseudo-label precision, recall
 * and F1 of the last epoch (methods with pseudo-labels only) and the mean wall time. Figures are
 * percent with two decimals, seconds as whole numbers; "-" marks a figure that does not apply (no
 * pseudo-labels; a standard deviation of one run). The same cells are rendered as plain text,
 * Markdown and CSV.
 */
final class CompareTable {

  /** Column titles, the same in every rendering. */
  static final List<String> HEADER =
      List.of("method", "runs", "test mAP", "± std", "PL precision", "PL recall", "PL F1", "wall time (s)");

  /** Stands for a figure that does not apply. */
  static final String NOT_APPLICABLE = "-";

  /** A run of the plan and what the coordinator reports about it. */
  record Finished(ComparePlan.Run run, Experiment experiment) {
    boolean completed() {
      return experiment.getState() == ExperimentState.COMPLETED && experiment.hasResult();
    }
  }

  private final List<List<String>> rows;
  private final List<Finished> runs;

  private CompareTable(List<List<String>> rows, List<Finished> runs) {
    this.rows = rows;
    this.runs = runs;
  }

  /** One row per method (in the given order) that has at least one completed run. */
  static CompareTable of(List<CompareMethod> methods, List<Finished> runs) {
    List<List<String>> rows = new ArrayList<>();
    for (CompareMethod method : methods) {
      List<FinalResult> results = runs.stream()
          .filter(f -> f.run().method() == method && f.completed())
          .map(f -> f.experiment().getResult())
          .toList();
      if (results.isEmpty()) {
        continue;
      }
      double[] maps = results.stream().mapToDouble(FinalResult::getTestMap).toArray();
      boolean pl = method.usesPseudoLabels();
      rows.add(List.of(
          method.id(),
          Integer.toString(results.size()),
          percent(mean(maps)),
          maps.length > 1 ? percent(sampleStd(maps)) : NOT_APPLICABLE,
          pl ? percent(mean(results.stream().mapToDouble(FinalResult::getPlPrecision).toArray())) : NOT_APPLICABLE,
          pl ? percent(mean(results.stream().mapToDouble(FinalResult::getPlRecall).toArray())) : NOT_APPLICABLE,
          pl ? percent(mean(results.stream().mapToDouble(FinalResult::getPlF1).toArray())) : NOT_APPLICABLE,
          String.format(Locale.ROOT, "%.0f", mean(results.stream().mapToDouble(FinalResult::getSeconds).toArray()))));
    }
    return new CompareTable(List.copyOf(rows), List.copyOf(runs));
  }

  List<List<String>> rows() {
    return rows;
  }

  /** Aligned columns, as printed. */
  String text() {
    ResultTable table = ResultTable.labelled(HEADER);
    rows.forEach(table::addRow);
    return table.render();
  }

  /** A GitHub-flavoured Markdown table (numbers right-aligned). */
  String markdown() {
    StringBuilder text = new StringBuilder();
    text.append(markdownRow(HEADER));
    List<String> rule = new ArrayList<>();
    rule.add("---");
    for (int c = 1; c < HEADER.size(); c++) {
      rule.add("---:");
    }
    text.append(markdownRow(rule));
    rows.forEach(row -> text.append(markdownRow(row)));
    return text.toString();
  }

  /** The header and rows as CSV (RFC 4180 quoting where a cell needs it). */
  String csv() {
    StringBuilder text = new StringBuilder();
    text.append(csvRow(HEADER));
    rows.forEach(row -> text.append(csvRow(row)));
    return text.toString();
  }

  /** Every run of the plan, one CSV row each: what the table's means are made of. */
  String runsCsv() {
    StringBuilder text = new StringBuilder(csvRow(List.of("method", "seed", "experiment", "state", "test mAP",
        "best val mAP", "best epoch", "epochs", "PL precision", "PL recall", "PL F1", "wall time (s)", "run dir")));
    for (Finished f : runs) {
      Experiment e = f.experiment();
      FinalResult r = e.getResult();
      boolean done = f.completed();
      boolean pl = done && f.run().method().usesPseudoLabels();
      text.append(csvRow(List.of(f.run().method().id(), Long.toString(f.run().seed()), e.getExperimentId(),
          e.getState().name(),
          done ? percent(r.getTestMap()) : NOT_APPLICABLE,
          done ? percent(r.getBestValMap()) : NOT_APPLICABLE,
          done ? Integer.toString(r.getBestEpoch()) : NOT_APPLICABLE,
          done ? Integer.toString(r.getEpochsTrained()) : NOT_APPLICABLE,
          pl ? percent(r.getPlPrecision()) : NOT_APPLICABLE,
          pl ? percent(r.getPlRecall()) : NOT_APPLICABLE,
          pl ? percent(r.getPlF1()) : NOT_APPLICABLE,
          done ? String.format(Locale.ROOT, "%.1f", r.getSeconds()) : NOT_APPLICABLE,
          e.getRunDir())));
    }
    return text.toString();
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** sqrt(Σ(x − mean)² / (n − 1)), for n >= 2. */
  static double sampleStd(double[] values) {
    double mean = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / (values.length - 1));
  }

  private static String percent(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String markdownRow(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  private static String csvRow(List<String> cells) {
    List<String> quoted = new ArrayList<>();
    for (String cell : cells) {
      boolean quote = cell.contains(",") || cell.contains("\"") || cell.contains("\n");
      quoted.add(quote ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell);
    }
    return String.join(",", quoted) + "\n";
  }
}
