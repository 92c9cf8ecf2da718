package org.aevlp.common.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One split of a single-positive multi-label dataset: image paths with their clean multi-hot
 * labels and their observed labels (one +1 per row), aligned by row.
 *
 * @param imagePaths image paths relative to the dataset's image root (or absolute)
 * @param labels clean labels, N x C in {0, 1}
 * @param observed observed labels, N x C in {-1, 0, 1}, exactly one +1 per row
 */
public record SpmlSplit(List<String> imagePaths, LabelMatrix labels, LabelMatrix observed) {

  public SpmlSplit {
    imagePaths = List.copyOf(imagePaths);
    if (labels.rows() != imagePaths.size() || observed.rows() != imagePaths.size()) {
      throw new IllegalArgumentException(
          "split has " + imagePaths.size() + " images but " + labels.rows() + " label rows and "
              + observed.rows() + " observed rows");
    }
    if (labels.cols() != observed.cols()) {
      throw new IllegalArgumentException(
          "clean labels have " + labels.cols() + " classes, observed labels " + observed.cols());
    }
  }

  /** Number of images. */
  public int size() {
    return imagePaths.size();
  }

  /** Number of classes. */
  public int numClasses() {
    return labels.cols();
  }

  /** The split made of the given rows, in the order given. */
  public SpmlSplit select(int[] rows) {
    List<String> paths = new ArrayList<>(rows.length);
    for (int row : rows) {
      paths.add(imagePaths.get(row));
    }
    return new SpmlSplit(paths, labels.selectRows(rows), observed.selectRows(rows));
  }
}
