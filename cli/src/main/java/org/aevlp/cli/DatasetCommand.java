package org.aevlp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.aevlp.common.data.synthetic.ShapeClass;
import org.aevlp.common.data.synthetic.SyntheticDataset;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.common.data.synthetic.SyntheticStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code aevlp dataset}: prepares datasets: the synthetic SPML set (DESIGN §5) and label-relation matrices. */
@Command(
    name = "dataset",
    mixinStandardHelpOptions = true,
    description = "Prepare datasets.",
    subcommands = {DatasetCommand.Synthetic.class, DatasetRelationCommand.class})
final class DatasetCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code aevlp dataset synthetic}: generates (or reuses) the synthetic SPML dataset. */
  @Command(
      name = "synthetic",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Generate the seeded synthetic SPML dataset in the formatted SPML layout, plus captioned images "
            + "for the built-in VLM. A second run with the same parameters reuses the files.",
        "formatted_train_* holds --train images (val_frac 0.2 of the default 5000 gives 4000 train / "
            + "1000 val); formatted_val_* holds the --test images (the test split)."
      })
  static final class Synthetic implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset directory (created if missing).")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = SyntheticSpec.DEFAULT_SEED;

    @Option(names = "--train", paramLabel = "N", description = "Images in formatted_train, train + val (default: ${DEFAULT-VALUE}).")
    int train = SyntheticSpec.DEFAULT_TRAIN_IMAGES;

    @Option(names = "--test", paramLabel = "N", description = "Images in formatted_val, the test split (default: ${DEFAULT-VALUE}).")
    int test = SyntheticSpec.DEFAULT_TEST_IMAGES;

    @Option(names = "--captions", paramLabel = "N", description = "Captioned images for VLM pretraining (default: ${DEFAULT-VALUE}).")
    int captions = SyntheticSpec.DEFAULT_CAPTION_IMAGES;

    @Option(names = "--image-size", paramLabel = "N", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int imageSize = SyntheticSpec.DEFAULT_IMAGE_SIZE;

    @Option(names = "--classes", paramLabel = "N", description = "Shape classes, 1-10 (default: ${DEFAULT-VALUE}).")
    int classes = SyntheticSpec.DEFAULT_CLASS_COUNT;

    @Option(names = "--min-objects", paramLabel = "N", description = "Fewest objects per image (default: ${DEFAULT-VALUE}).")
    int minObjects = SyntheticSpec.DEFAULT_MIN_OBJECTS;

    @Option(names = "--max-objects", paramLabel = "N", description = "Most objects per image, at most --classes (default: ${DEFAULT-VALUE}).")
    int maxObjects = SyntheticSpec.DEFAULT_MAX_OBJECTS;

    @Option(names = "--min-size", paramLabel = "X", description = "Smallest object, fraction of the image side (default: ${DEFAULT-VALUE}).")
    double minSize = SyntheticSpec.DEFAULT_MIN_OBJECT_SIZE;

    @Option(names = "--max-size", paramLabel = "X", description = "Largest object, fraction of the image side (default: ${DEFAULT-VALUE}).")
    double maxSize = SyntheticSpec.DEFAULT_MAX_OBJECT_SIZE;

    @Option(names = "--clutter", paramLabel = "X", description = "Background texture and noise strength, 0-1 (default: ${DEFAULT-VALUE}).")
    double clutter = SyntheticSpec.DEFAULT_CLUTTER;

    @Option(names = "--distractors", paramLabel = "N", description = "Most distractor blobs (no class) per image (default: ${DEFAULT-VALUE}).")
    int distractors = SyntheticSpec.DEFAULT_DISTRACTORS;

    @Option(names = "--threads", paramLabel = "N", description = "Rendering threads; the files do not depend on it (default: all processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws InterruptedException {
      SyntheticSpec parameters;
      try {
        parameters =
            new SyntheticSpec(
                seed, train, test, captions, imageSize, classes, minObjects, maxObjects, minSize, maxSize, clutter,
                distractors);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "invalid parameters: " + e.getMessage());
      }
      if (threads < 1) {
        throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + threads);
      }
      long start = System.nanoTime();
      SyntheticDataset dataset;
      try (ProgressBar bar = noProgress ? null : progressBar(parameters.totalImages())) {
        dataset =
            new SyntheticDatasetGenerator(threads)
                .generate(out, parameters, done -> {
                  if (bar != null) {
                    bar.stepTo(done);
                  }
                });
      } catch (IllegalArgumentException e) {
        // the generator refuses to overwrite a directory it did not write
        throw new ParameterException(spec.commandLine(), "--out: " + e.getMessage());
      } catch (IOException e) {
        spec.commandLine().getErr().println("aevlp dataset synthetic: cannot write " + out + ": " + e);
        return 1;
      }
      printStatistics(spec.commandLine().getOut(), dataset, (System.nanoTime() - start) / 1e9);
      return 0;
    }

    private static ProgressBar progressBar(long total) {
      return new ProgressBarBuilder()
          .setTaskName("synthetic images")
          .setInitialMax(total)
          .setUpdateIntervalMillis(250)
          .build();
    }

    private static void printStatistics(PrintWriter out, SyntheticDataset dataset, double seconds) {
      SyntheticStatistics s = dataset.statistics();
      int valImages = (int) Math.round(s.trainImages() * SyntheticSpec.RECOMMENDED_VAL_FRAC);
      out.printf(
          Locale.ROOT,
          "Synthetic SPML dataset in %s (%s)%n",
          dataset.root(),
          dataset.reused() ? "reused: same parameters as the files on disk" : "generated");
      out.printf(
          Locale.ROOT,
          "  formatted_train       %6d images, %.2f positives per image (val_frac %.1f: %d train / %d val)%n",
          s.trainImages(),
          s.meanPositivesTrain(),
          SyntheticSpec.RECOMMENDED_VAL_FRAC,
          s.trainImages() - valImages,
          valImages);
      out.printf(
          Locale.ROOT,
          "  formatted_val (test)  %6d images, %.2f positives per image%n",
          s.testImages(),
          s.meanPositivesTest());
      out.printf(
          Locale.ROOT,
          "  captions              %6d images, %.2f objects per image, %d captions name colours%n",
          s.captionImages(),
          s.meanObjectsPerCaptionImage(),
          s.captionsWithColour());
      out.printf(
          Locale.ROOT,
          "  classes               %6d (%s)%n",
          s.classCount(),
          ShapeClass.firstClasses(s.classCount()).stream().map(ShapeClass::displayName).collect(Collectors.joining(", ")));
      out.printf(Locale.ROOT, "  observed labels       %6d (one positive per SPML image)%n", s.observedLabels());
      out.printf(Locale.ROOT, "  time                  %6.1f s%n", seconds);
      out.flush();
    }
  }
}
