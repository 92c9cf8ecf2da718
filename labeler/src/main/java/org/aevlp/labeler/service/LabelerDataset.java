package org.aevlp.labeler.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.common.catalog.DatasetInfo;
import org.aevlp.common.data.DatasetFormatException;
import org.aevlp.common.data.FormattedSpmlLoader;
import org.aevlp.common.data.SpmlSplit;
import org.aevlp.labeler.text.RelationAdjacency;
import org.aevlp.labeler.text.RelationMatrices;

/**
 * A dataset a labeler serves: its classes and the image paths of its official training phase
 * ({@code formatted_train_images.npy}, rows before any train/val split), which requests name by
 * row.
 *
 * @param id the dataset id requests use
 * @param classNames class names in label order (from the dataset catalog)
 * @param imageRoot directory the image paths are relative to
 * @param imagePaths the official training phase's image paths, by row
 * @param defaultTopK the dataset's {@code top_k} constant, the default of requests
 * @param adjacency the label-relation GCN adjacency, when the dataset ships a relation matrix or one was given
 */
public record LabelerDataset(
    String id,
    List<String> classNames,
    Path imageRoot,
    List<String> imagePaths,
    int defaultTopK,
    Optional<RelationAdjacency> adjacency) {

  public LabelerDataset {
    Objects.requireNonNull(id, "id");
    classNames = List.copyOf(classNames);
    imagePaths = List.copyOf(imagePaths);
    Objects.requireNonNull(imageRoot, "imageRoot");
    Objects.requireNonNull(adjacency, "adjacency");
    if (defaultTopK < 1 || defaultTopK > classNames.size()) {
      throw new IllegalArgumentException(
          "dataset " + id + ": top_k " + defaultTopK + " must be in [1, " + classNames.size() + "]");
    }
  }

  /**
   * Loads dataset {@code id} of the built-in catalog from {@code dir} in the formatted SPML layout;
   * the training phase's label columns must match the catalog's classes.
   */
  public static LabelerDataset load(String id, Path dir) throws IOException {
    return load(id, dir, Optional.empty());
  }

  /**
   * As {@link #load(String, Path)}, with the label-relation matrix read from {@code relationFile}
   * when given (instead of the one the dataset ships, if any).
   */
  public static LabelerDataset load(String id, Path dir, Optional<Path> relationFile) throws IOException {
    DatasetInfo info = DatasetCatalog.builtIn().get(id);
    if (!Files.isDirectory(dir)) {
      throw new DatasetFormatException(dir, "data directory not found");
    }
    Path images = dir.resolve("formatted_train_images.npy");
    Path labels = dir.resolve("formatted_train_labels.npy");
    SpmlSplit train = FormattedSpmlLoader.readSplit(images, labels, FormattedSpmlLoader.observedLabelsFile(dir, "train"));
    if (train.numClasses() != info.numClasses()) {
      throw new DatasetFormatException(
          labels, "has " + train.numClasses() + " classes (columns) but dataset " + id + " has "
              + info.numClasses());
    }
    return new LabelerDataset(
        id, info.classNames(), dir, train.imagePaths(), info.topK(), RelationMatrices.adjacencyFor(info, relationFile));
  }

  /** Rows of the training phase. */
  public int size() {
    return imagePaths.size();
  }

  /** Number of classes C. */
  public int numClasses() {
    return classNames.size();
  }

  /** The image file of row {@code index}. */
  public Path imagePath(int index) {
    return imageRoot.resolve(imagePaths.get(index));
  }
}
