package org.aevlp.cli.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.FinalResult;

/**
 * A plain-text table: a header row, a rule, then rows of cells, every column as wide as its widest
 * cell and two spaces between columns. Each column is left- or right-aligned (numbers read best
 * right-aligned). Also builds the tables the client and the demo print: a final result and a
 * side-by-side comparison of experiments.
 */
public final class ResultTable {

  /** Where a cell's text sits within its column. */
  public enum Align {
    LEFT,
    RIGHT
  }

  private static final String GAP = "  ";

  private final List<String> header;
  private final List<Align> aligns;
  private final List<List<String>> rows = new ArrayList<>();

  /**
   * @param header column titles; an empty list: no header row (and no rule)
   * @param aligns one per column
   */
  public ResultTable(List<String> header, List<Align> aligns) {
    if (!header.isEmpty() && header.size() != aligns.size()) {
      throw new IllegalArgumentException(
          "header has " + header.size() + " columns but " + aligns.size() + " alignments were given");
    }
    this.header = List.copyOf(header);
    this.aligns = List.copyOf(aligns);
  }

  /** A table whose first column (labels) is left-aligned and all others right-aligned. */
  public static ResultTable labelled(List<String> header) {
    List<Align> aligns = new ArrayList<>(Collections.nCopies(header.size(), Align.RIGHT));
    aligns.set(0, Align.LEFT);
    return new ResultTable(header, aligns);
  }

  /** Appends a row; it must have one cell per column. */
  public ResultTable addRow(List<String> cells) {
    if (cells.size() != aligns.size()) {
      throw new IllegalArgumentException("row has " + cells.size() + " cells, the table has " + aligns.size() + " columns");
    }
    rows.add(List.copyOf(cells));
    return this;
  }

  public ResultTable addRow(String... cells) {
    return addRow(List.of(cells));
  }

  /** The table as lines ending in a newline; trailing spaces are trimmed. */
  public String render() {
    int[] widths = new int[aligns.size()];
    List<List<String>> all = new ArrayList<>();
    if (!header.isEmpty()) {
      all.add(header);
    }
    all.addAll(rows);
    for (List<String> row : all) {
      for (int c = 0; c < widths.length; c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder text = new StringBuilder();
    if (!header.isEmpty()) {
      appendRow(text, header, widths);
      List<String> rule = new ArrayList<>();
      for (int width : widths) {
        rule.add("-".repeat(width));
      }
      appendRow(text, rule, widths);
    }
    for (List<String> row : rows) {
      appendRow(text, row, widths);
    }
    return text.toString();
  }

  private void appendRow(StringBuilder text, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < widths.length; c++) {
      if (c > 0) {
        line.append(GAP);
      }
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - cell.length());
      line.append(aligns.get(c) == Align.RIGHT ? pad + cell : cell + pad);
    }
    text.append(line.toString().stripTrailing()).append('\n');
  }

  /** The outcome of a completed experiment, one metric per row. */
  public static ResultTable finalResult(FinalResult result) {
    ResultTable table = new ResultTable(List.of(), List.of(Align.LEFT, Align.LEFT));
    table.addRow("best epoch", Integer.toString(result.getBestEpoch()));
    table.addRow("best val mAP", Figures.percent(result.getBestValMap()));
    table.addRow("test mAP", Figures.percent(result.getTestMap()));
    table.addRow("PL P/R/F1", Figures.plTriple(result.getPlPrecision(), result.getPlRecall(), result.getPlF1()));
    table.addRow("epochs", Integer.toString(result.getEpochsTrained()));
    table.addRow("time", Figures.duration(result.getSeconds()));
    table.addRow("stop reason", result.getStopReason().isEmpty() ? Figures.NONE : result.getStopReason());
    return table;
  }

  /**
   * Several experiments side by side: one column per experiment (titled by its name, else its id),
   * one row per figure (loss, state, test mAP, best val mAP and epoch, PL precision/recall/F1,
   * epochs, time). Figures an experiment does not have yet (no final result) show as "-".
   */
  public static ResultTable comparison(List<Experiment> experiments) {
    List<String> header = new ArrayList<>();
    header.add("");
    for (Experiment experiment : experiments) {
      header.add(experiment.getSpec().getName().isEmpty() ? experiment.getExperimentId() : experiment.getSpec().getName());
    }
    ResultTable table = labelled(header);
    table.addRow(row("experiment", experiments, Experiment::getExperimentId));
    table.addRow(row("loss", experiments, e -> orNone(e.getSpec().getLoss())));
    table.addRow(row("state", experiments, e -> e.getState().name()));
    table.addRow(row("test mAP", experiments, e -> resultFigure(e, r -> Figures.percent(r.getTestMap()))));
    table.addRow(row("best val mAP", experiments, e -> resultFigure(e, r -> Figures.percent(r.getBestValMap()))));
    table.addRow(row("best epoch", experiments, e -> resultFigure(e, r -> Integer.toString(r.getBestEpoch()))));
    table.addRow(row("PL precision", experiments, e -> resultFigure(e, r -> plFigure(r, r.getPlPrecision()))));
    table.addRow(row("PL recall", experiments, e -> resultFigure(e, r -> plFigure(r, r.getPlRecall()))));
    table.addRow(row("PL F1", experiments, e -> resultFigure(e, r -> plFigure(r, r.getPlF1()))));
    table.addRow(row("epochs", experiments, e -> resultFigure(e, r -> Integer.toString(r.getEpochsTrained()))));
    table.addRow(row("time", experiments, e -> resultFigure(e, r -> Figures.duration(r.getSeconds()))));
    return table;
  }

  private static List<String> row(
      String label, List<Experiment> experiments, Function<Experiment, String> cell) {
    List<String> cells = new ArrayList<>();
    cells.add(label);
    for (Experiment experiment : experiments) {
      cells.add(cell.apply(experiment));
    }
    return cells;
  }

  private static String resultFigure(Experiment experiment, Function<FinalResult, String> figure) {
    return experiment.hasResult() ? figure.apply(experiment.getResult()) : Figures.NONE;
  }

  private static String plFigure(FinalResult result, double value) {
    boolean noPseudoLabels = result.getPlPrecision() == 0 && result.getPlRecall() == 0 && result.getPlF1() == 0;
    return noPseudoLabels ? Figures.NONE : Figures.percent(value);
  }

  private static String orNone(String text) {
    return text.isEmpty() ? Figures.NONE : text;
  }
}
