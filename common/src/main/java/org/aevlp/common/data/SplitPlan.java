package org.aevlp.common.data;

/**
 * Which rows of the official training split form the train and the validation split (see
 * {@link TrainValSplitter}); both ascending and disjoint.
 */
public final class SplitPlan {

  private final int[] trainRows;
  private final int[] valRows;

  SplitPlan(int[] trainRows, int[] valRows) {
    this.trainRows = trainRows;
    this.valRows = valRows;
  }

  /** Rows of the train split, ascending (a copy). */
  public int[] trainRows() {
    return trainRows.clone();
  }

  /** Rows of the validation split, ascending (a copy). */
  public int[] valRows() {
    return valRows.clone();
  }

  @Override
  public String toString() {
    return "SplitPlan[" + trainRows.length + " train, " + valRows.length + " val]";
  }
}
