package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.aevlp.proto.v1.Experiment;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.proto.v1.ExperimentState;
import org.aevlp.proto.v1.FinalResult;
import org.junit.jupiter.api.Test;

class CompareTableTest {

  private static CompareTable.Finished run(CompareMethod method, long seed, ExperimentState state, double map,
      double precision, double recall, double f1, double seconds) {
    Experiment.Builder e = Experiment.newBuilder().setExperimentId(method.id() + "-" + seed).setState(state)
        .setRunDir("/runs/" + method.id() + "-" + seed);
    if (state == ExperimentState.COMPLETED) {
      e.setResult(FinalResult.newBuilder().setTestMap(map).setPlPrecision(precision).setPlRecall(recall).setPlF1(f1)
          .setSeconds(seconds).setBestEpoch(3).setEpochsTrained(4).setBestValMap(map + 1));
    }
    return new CompareTable.Finished(new ComparePlan.Run(method, seed, ExperimentSpec.getDefaultInstance(), "r"),
        e.build());
  }

  private static CompareTable table() {
    return CompareTable.of(List.of(CompareMethod.AN, CompareMethod.AEVLP, CompareMethod.FULL), List.of(
        run(CompareMethod.AN, 1200, ExperimentState.COMPLETED, 70.004, 0, 0, 0, 100.4),
        run(CompareMethod.AEVLP, 1200, ExperimentState.COMPLETED, 80, 90, 50, 64.29, 200),
        run(CompareMethod.AEVLP, 1201, ExperimentState.COMPLETED, 84, 80, 60, 68.57, 301),
        run(CompareMethod.AEVLP, 1202, ExperimentState.FAILED, 0, 0, 0, 0, 0),
        run(CompareMethod.FULL, 1200, ExperimentState.CANCELLED, 0, 0, 0, 0, 0)));
  }

  @Test
  void rowsHoldMeansOverCompletedSeedsAndDashesWhereAFigureDoesNotApply() {
    // aevlp: mAP mean 82, sample std sqrt(((80-82)² + (84-82)²)/1) = 2.83; full has no completed run: no row.
    assertEquals(List.of(
        List.of("an", "1", "70.00", "-", "-", "-", "-", "100"),
        List.of("aevlp", "2", "82.00", "2.83", "85.00", "55.00", "66.43", "251")), table().rows());
  }

  @Test
  void csvAndMarkdownCarryTheSameCells() {
    assertEquals("""
        method,runs,test mAP,± std,PL precision,PL recall,PL F1,wall time (s)
        an,1,70.00,-,-,-,-,100
        aevlp,2,82.00,2.83,85.00,55.00,66.43,251
        """, table().csv());
    assertEquals("""
        | method | runs | test mAP | ± std | PL precision | PL recall | PL F1 | wall time (s) |
        | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
        | an | 1 | 70.00 | - | - | - | - | 100 |
        | aevlp | 2 | 82.00 | 2.83 | 85.00 | 55.00 | 66.43 | 251 |
        """, table().markdown());
  }

  @Test
  void theRunsFileListsEveryRunIncludingTheUnfinished() {
    List<String> lines = table().runsCsv().lines().toList();
    assertEquals(6, lines.size());
    assertEquals("aevlp,1201,aevlp-1201,COMPLETED,84.00,85.00,3,4,80.00,60.00,68.57,301.0,/runs/aevlp-1201",
        lines.get(3));
    assertEquals("full,1200,full-1200,CANCELLED,-,-,-,-,-,-,-,-,/runs/full-1200", lines.get(5));
  }
}
