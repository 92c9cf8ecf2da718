package org.aevlp.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.FinalResult;
import org.junit.jupiter.api.Test;

class ResultTableTest {

  @Test
  void columnsAreAsWideAsTheirWidestCellAndAlignedAsAsked() {
    ResultTable table =
        new ResultTable(List.of("name", "mAP"), List.of(ResultTable.Align.LEFT, ResultTable.Align.RIGHT))
            .addRow("aevlp", "61.25")
            .addRow("an-baseline", "7.5");
    String expected =
        "name           mAP\n"
            + "-----------  -----\n"
            + "aevlp        61.25\n"
            + "an-baseline    7.5\n";
    assertEquals(expected, table.render());
  }

  @Test
  void tableWithoutHeaderHasNoRuleAndTrimsTrailingSpaces() {
    ResultTable table =
        new ResultTable(List.of(), List.of(ResultTable.Align.LEFT, ResultTable.Align.LEFT))
            .addRow("best epoch", "3")
            .addRow("x", "");
    assertEquals("best epoch  3\nx\n", table.render());
  }

  @Test
  void rowWithTheWrongNumberOfCellsIsRefused() {
    ResultTable table = ResultTable.labelled(List.of("a", "b"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.addRow("only one"));
    assertTrue(e.getMessage().contains("1 cells"), e.getMessage());
  }

  @Test
  void finalResultListsEveryFigure() {
    FinalResult result =
        FinalResult.newBuilder()
            .setBestEpoch(3).setBestValMap(61.254).setTestMap(59.8)
            .setPlPrecision(80.1).setPlRecall(40.2).setPlF1(53.5)
            .setSeconds(192).setStopReason("completed").setEpochsTrained(5)
            .build();
    String expected =
        "best epoch    3\n"
            + "best val mAP  61.25\n"
            + "test mAP      59.80\n"
            + "PL P/R/F1     80.10/40.20/53.50\n"
            + "epochs        5\n"
            + "time          3m12s\n"
            + "stop reason   completed\n";
    assertEquals(expected, ResultTable.finalResult(result).render());
  }

  @Test
  void comparisonPutsExperimentsSideBySideWithRightAlignedFigures() {
    Experiment aevlp =
        Experiment.newBuilder()
            .setExperimentId("e-1")
            .setSpec(ExperimentSpec.newBuilder().setName("synthetic-gpr").setLoss("gpr_loss"))
            .setState(ExperimentState.COMPLETED)
            .setResult(FinalResult.newBuilder().setTestMap(72.5).setBestValMap(70).setBestEpoch(4)
                .setPlPrecision(81).setPlRecall(42).setPlF1(55.3).setEpochsTrained(5).setSeconds(65))
            .build();
    Experiment an =
        Experiment.newBuilder()
            .setExperimentId("e-2")
            .setSpec(ExperimentSpec.newBuilder().setLoss("an_loss"))
            .setState(ExperimentState.RUNNING)
            .build();
    String text = ResultTable.comparison(List.of(aevlp, an)).render();
    List<String> lines = text.lines().toList();
    // Label column 12 wide ("best val mAP"), then 13 ("synthetic-gpr") and 7 ("an_loss"), 2 spaces apart.
    assertEquals(" ".repeat(14) + "synthetic-gpr" + " ".repeat(6) + "e-2", lines.get(0));
    assertEquals("test mAP" + " ".repeat(14) + "72.50" + " ".repeat(8) + "-", lines.get(5));
    assertEquals("PL F1" + " ".repeat(17) + "55.30" + " ".repeat(8) + "-", lines.get(10));
    assertEquals("time" + " ".repeat(18) + "1m05s" + " ".repeat(8) + "-", lines.get(12));
    // Every line but the header ends at the same column: figures are right-aligned.
    for (String line : lines) {
      assertEquals(lines.get(0).length(), line.length(), "misaligned: '" + line + "'");
    }
  }

  @Test
  void comparisonShowsNoPseudoLabelFiguresForARunWithoutPseudoLabels() {
    Experiment an =
        Experiment.newBuilder()
            .setExperimentId("e-3")
            .setState(ExperimentState.COMPLETED)
            .setResult(FinalResult.newBuilder().setTestMap(50))
            .build();
    List<String> lines = ResultTable.comparison(List.of(an)).render().lines().toList();
    // Columns 12 ("PL precision") and 9 ("COMPLETED") wide.
    assertEquals("PL precision" + " ".repeat(10) + "-", lines.get(8));
    assertEquals("test mAP" + " ".repeat(10) + "50.00", lines.get(5));
  }
}
