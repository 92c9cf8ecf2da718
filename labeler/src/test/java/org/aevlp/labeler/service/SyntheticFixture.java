package org.aevlp.labeler.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.aevlp.common.catalog.DatasetCatalog;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.labeler.bench.UntrainedTinyVlmScorer;

/** A small synthetic dataset and the untrained tiny-VLM scorer, shared by the service tests. */
final class SyntheticFixture {

  static final String DATASET = "synthetic";
  static final int CLASSES = 10;
  /** View side of the test scorer: small, so tests stay fast. */
  static final int INPUT_SIZE = 32;

  private SyntheticFixture() {}

  /** Generates {@code trainImages} training images (64x64, 10 classes) into {@code dir} and loads them. */
  static LabelerDataset dataset(Path dir, int trainImages) throws IOException, InterruptedException {
    new SyntheticDatasetGenerator(2)
        .generate(dir, SyntheticSpec.defaults().withCounts(trainImages, 2, 0), done -> {});
    return LabelerDataset.load(DATASET, dir);
  }

  static UntrainedTinyVlmScorer scorer() {
    return UntrainedTinyVlmScorer.create(classNames(), INPUT_SIZE, 7);
  }

  static List<String> classNames() {
    return DatasetCatalog.builtIn().get(DATASET).classNames();
  }

  /** An observed vector with its one positive at {@code positive}. */
  static int[] observed(int positive) {
    int[] observed = new int[CLASSES];
    observed[positive] = 1;
    return observed;
  }
}
