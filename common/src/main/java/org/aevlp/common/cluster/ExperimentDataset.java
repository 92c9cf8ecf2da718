package org.aevlp.common.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.aevlp.common.data.FormattedSpmlLoader;
import org.aevlp.common.data.ManifestLoader;
import org.aevlp.common.data.SplitOptions;
import org.aevlp.common.data.SpmlDataset;
import org.aevlp.proto.v1.ExperimentSpec;

/**
 * Opens the dataset of an experiment the same way on every node, so that the coordinator (labels,
 * split sizes) and the workers (images) agree on every split index: same directory layout, same
 * seeded train/val split.
 */
public final class ExperimentDataset {

  private ExperimentDataset() {}

  /**
   * The dataset of a validated spec.
   *
   * @param dataDirOverride where this node keeps the dataset (a worker's or coordinator's {@code
   *     --data-dir}); empty: the spec's {@code data_dir}
   * @throws IOException naming the file when the dataset cannot be read
   * @throws IllegalArgumentException naming {@code data_dir} when no directory is known
   */
  public static SpmlDataset open(ExperimentSpec spec, Optional<Path> dataDirOverride) throws IOException {
    Path dir = dataDirOverride
        .or(() -> spec.getDataDir().isEmpty() ? Optional.empty() : Optional.of(Path.of(spec.getDataDir())))
        .orElseThrow(() -> new IllegalArgumentException(
            "data_dir: the spec names no data directory and this node was given none (--data-dir)"));
    SplitOptions split = new SplitOptions(spec.getValFrac(), spec.getSplitSeed(), spec.getSsFracTrain(),
        spec.getSsFracVal(), spec.getSsSeed());
    OptionalInt classes = spec.hasNumClasses() ? OptionalInt.of(spec.getNumClasses()) : OptionalInt.empty();
    if (spec.getDataset().equals("manifest")) {
      return ManifestLoader.load(dir, split, classes, spec.getSplitSeed());
    }
    return FormattedSpmlLoader.load(dir, split, classes);
  }
}
