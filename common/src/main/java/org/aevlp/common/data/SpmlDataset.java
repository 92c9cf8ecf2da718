package org.aevlp.common.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A single-positive multi-label dataset ready for training (DESIGN.md section 5).
 *
 * <p>Train on {@code train.observed()} (or {@code train.labels()} for the clean-label upper
 * bound); select models on {@code val.labels()} and report on {@code test.labels()}: validation
 * and test always use clean labels. {@code val} comes out of the official training split (see
 * {@link TrainValSplitter}); {@code test} is the official validation split.
 *
 * @param train the train split (possibly subsampled)
 * @param val the validation split held out of the official training split (possibly subsampled)
 * @param test the official validation split
 * @param numClasses number of classes C
 * @param classNames the C class names, or empty when the layout does not carry them
 * @param imageRoot directory the image paths are relative to
 * @param sourceFiles the files the dataset was read from, e.g. which observed-label file was used
 * @param trainSourceRows for each sample of {@code train}, its row in the official training files —
 *     the index a labeler uses, since it loads those files without the split
 */
public record SpmlDataset(
    SpmlSplit train,
    SpmlSplit val,
    SpmlSplit test,
    int numClasses,
    List<String> classNames,
    Path imageRoot,
    List<Path> sourceFiles,
    int[] trainSourceRows) {

  public SpmlDataset {
    trainSourceRows = trainSourceRows.clone();
    if (trainSourceRows.length != train.size()) {
      throw new IllegalArgumentException(
          trainSourceRows.length + " source rows for a train split of " + train.size() + " samples");
    }
    classNames = List.copyOf(classNames);
    sourceFiles = List.copyOf(sourceFiles);
    for (SpmlSplit split : List.of(train, val, test)) {
      if (split.numClasses() != numClasses) {
        throw new IllegalArgumentException(
            "a split has " + split.numClasses() + " classes, the dataset " + numClasses);
      }
    }
    if (!classNames.isEmpty() && classNames.size() != numClasses) {
      throw new IllegalArgumentException(
          classNames.size() + " class names for a dataset of " + numClasses + " classes");
    }
  }

  /**
   * Builds the dataset from the official splits: the official training split is divided into
   * train and validation by {@link TrainValSplitter#plan}, the official test split is kept whole.
   */
  public static SpmlDataset fromOfficialSplits(
      SpmlSplit officialTrain,
      SpmlSplit officialTest,
      SplitOptions options,
      List<String> classNames,
      Path imageRoot,
      List<Path> sourceFiles) {
    SplitPlan plan = TrainValSplitter.plan(officialTrain.size(), options);
    return new SpmlDataset(
        officialTrain.select(plan.trainRows()),
        officialTrain.select(plan.valRows()),
        officialTest,
        officialTrain.numClasses(),
        classNames,
        imageRoot,
        sourceFiles,
        plan.trainRows());
  }

  /** The row in the official training files of train-split sample {@code index}. */
  public int trainSourceRow(int index) {
    return trainSourceRows[index];
  }

  @Override
  public int[] trainSourceRows() {
    return trainSourceRows.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SpmlDataset d
        && d.train.equals(train) && d.val.equals(val) && d.test.equals(test)
        && d.numClasses == numClasses && d.classNames.equals(classNames) && d.imageRoot.equals(imageRoot)
        && d.sourceFiles.equals(sourceFiles) && java.util.Arrays.equals(d.trainSourceRows, trainSourceRows);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(train, val, test, numClasses, classNames, imageRoot, sourceFiles)
        * 31 + java.util.Arrays.hashCode(trainSourceRows);
  }
}
