package org.aevlp.common.runs;

import java.util.List;

/**
 * Final outcome of a completed run ({@code result.json}; mirrors aevlp.v1.FinalResult).
 *
 * @param bestEpoch epoch whose checkpoint was tested
 * @param bestValMap validation mAP of that epoch, percent
 * @param testMap test mAP of the best checkpoint, percent
 * @param testApPerClass test AP per class, fractions, label order
 * @param plPrecision pseudo-label precision over the last epoch, percent
 * @param plRecall pseudo-label recall over the last epoch, percent
 * @param plF1 pseudo-label F1 (usual 2PR/(P+R)) over the last epoch, percent
 * @param seconds wall-clock seconds from start to end
 * @param stopReason why training stopped ("completed", "early_stop: ...")
 * @param epochsTrained epochs trained
 */
public record RunResult(
    int bestEpoch,
    double bestValMap,
    double testMap,
    List<Double> testApPerClass,
    double plPrecision,
    double plRecall,
    double plF1,
    double seconds,
    String stopReason,
    int epochsTrained) {

  public RunResult {
    testApPerClass = testApPerClass == null ? List.of() : List.copyOf(testApPerClass);
    stopReason = stopReason == null ? "" : stopReason;
  }
}
