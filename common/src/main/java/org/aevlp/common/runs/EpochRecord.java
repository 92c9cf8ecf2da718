package org.aevlp.common.runs;

/**
 * Result of one epoch, one line of {@code epochs.jsonl} (mirrors aevlp.v1.EpochResult).
 *
 * @param epoch 1-based epoch
 * @param trainLoss mean training loss over the epoch's samples
 * @param valMap validation mAP, percent (clean labels)
 * @param plPrecision pseudo-label precision, percent, observed positives excluded
 * @param plRecall pseudo-label recall, percent, observed positives excluded
 * @param plF1 pseudo-label F1, percent, the usual 2PR/(P+R)
 * @param samplesTrained training samples used this epoch
 * @param samplesSkipped samples skipped because their image could not be read
 * @param seconds wall-clock seconds of the epoch (training + validation)
 * @param best whether this epoch is the best so far
 * @param microbatchesRerun micro-batches re-run on another worker after a failure
 * @param workers workers that took part
 */
public record EpochRecord(
    int epoch,
    double trainLoss,
    double valMap,
    double plPrecision,
    double plRecall,
    double plF1,
    long samplesTrained,
    long samplesSkipped,
    double seconds,
    boolean best,
    int microbatchesRerun,
    int workers) {

  public EpochRecord {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
    }
  }
}
