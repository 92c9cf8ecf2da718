package org.aevlp.common.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The built-in facts about one dataset: its class names (in label-index order) and the
 * per-dataset constants the reference implementation looks up (DESIGN.md §4, "Per-dataset
 * constants").
 *
 * @param id dataset id as used in the spec's {@code dataset} field ("pascal", "synthetic", ...)
 * @param classNames class names, index {@code c} naming label column {@code c}
 * @param topK default {@code top_k}: at most this many DAMP positives per image
 * @param expectedNumPos default {@code expected_num_pos} of the GPR regulariser
 * @param sparseTopk default {@code sparse_topk} of the GCN adjacency
 * @param reweightP default {@code reweight_p} of the GCN adjacency
 * @param relationTemperature default {@code T} (the reference's unused relation softmax temperature)
 * @param relationFile the label-relation matrix's name in the reference data layout
 *     (e.g. {@code relation/relation+voc.npy}); empty when the dataset has none
 */
public record DatasetInfo(
    String id,
    List<String> classNames,
    int topK,
    double expectedNumPos,
    int sparseTopk,
    double reweightP,
    double relationTemperature,
    Optional<String> relationFile) {

  public DatasetInfo {
    Objects.requireNonNull(id, "id");
    classNames = List.copyOf(classNames);
    Objects.requireNonNull(relationFile, "relationFile");
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("dataset " + id + ": no class names");
    }
  }

  /** Number of classes (label columns). */
  public int numClasses() {
    return classNames.size();
  }
}
