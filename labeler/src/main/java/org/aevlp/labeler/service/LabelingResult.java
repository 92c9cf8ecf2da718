package org.aevlp.labeler.service;

import java.util.List;

/**
 * The result of one {@link LabelingTask}.
 *
 * @param rows one row per item, in item order
 * @param cacheHits rows all of whose view embeddings came from the cache
 */
public record LabelingResult(List<LabeledRow> rows, int cacheHits) {

  public LabelingResult {
    rows = List.copyOf(rows);
  }
}
