package org.aevlp.labeler.service;

/**
 * The pseudo-labels of one item.
 *
 * @param index the item's key (sample row or caller's image key)
 * @param labels one entry per class: 1 positive, 0 unknown, −1 negative (with negative_pseudo_labels)
 * @param imageUnreadable the sample's image file could not be read; labels are then all 0
 */
public record LabeledRow(long index, int[] labels, boolean imageUnreadable) {

  public LabeledRow {
    labels = labels.clone();
  }

  @Override
  public int[] labels() {
    return labels.clone();
  }
}
