package org.aevlp.common.data;

/**
 * How the official training split becomes the train and validation splits (DESIGN.md section 5),
 * with the reference configuration's key names.
 *
 * @param valFrac fraction of the official training split held out for validation, in (0, 1)
 * @param splitSeed seed of the train/val permutation
 * @param ssFracTrain fraction of the train split kept, in (0, 1]; 1.0 keeps all
 * @param ssFracVal fraction of the validation split kept, in (0, 1]; 1.0 keeps all
 * @param ssSeed seed of the subsampling
 */
public record SplitOptions(double valFrac, long splitSeed, double ssFracTrain, double ssFracVal, long ssSeed) {

  public SplitOptions {
    if (!(valFrac > 0 && valFrac < 1)) {
      throw new IllegalArgumentException("val_frac must be in (0, 1), got " + valFrac);
    }
    if (!(ssFracTrain > 0 && ssFracTrain <= 1)) {
      throw new IllegalArgumentException("ss_frac_train must be in (0, 1], got " + ssFracTrain);
    }
    if (!(ssFracVal > 0 && ssFracVal <= 1)) {
      throw new IllegalArgumentException("ss_frac_val must be in (0, 1], got " + ssFracVal);
    }
  }

  /** A split without subsampling. */
  public static SplitOptions of(double valFrac, long splitSeed) {
    return new SplitOptions(valFrac, splitSeed, 1.0, 1.0, 0L);
  }
}
