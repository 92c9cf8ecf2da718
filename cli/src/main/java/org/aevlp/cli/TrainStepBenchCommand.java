package org.aevlp.cli;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.aevlp.worker.bench.TrainStepBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aevlp bench train-step}: one replica's training step on random in-memory data. */
@Command(
    name = "train-step",
    mixinStandardHelpOptions = true,
    description = {
      "Times forward + GPR loss + backward + Adam step of one replica on random data in memory "
          + "(after warm-up), plus reading parameters as a flat buffer and applying a flat gradient, "
          + "and the process's resident memory after 100 steps and at the end.",
      "Last line: images_per_second=... step_s=... threads=...",
      "With --versus-python, the same step of the reference stack (PyTorch + torchvision in Python, "
          + "torchvision's network, the same GPR loss and Adam) is timed in alternating rounds with this "
          + "one, and the medians and their ratio are printed."
    })
final class TrainStepBenchCommand implements Callable<Integer> {

  @Option(names = "--arch", defaultValue = "resnet18", description = "Network (default: ${DEFAULT-VALUE}).")
  String arch;

  @Option(names = "--image-size", defaultValue = "112", description = "Input side in pixels (default: ${DEFAULT-VALUE}).")
  int imageSize;

  @Option(names = "--batch", defaultValue = "16", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--classes", defaultValue = "20", description = "Number of classes (default: ${DEFAULT-VALUE}).")
  int classes;

  @Option(names = "--threads", defaultValue = "2", description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--warmup", defaultValue = "5", description = "Unmeasured warm-up steps (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--steps", defaultValue = "30", description = "Measured steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--seed", defaultValue = "1200", description = "Seed of weights and data (default: ${DEFAULT-VALUE}).")
  int seed;

  @Option(names = "--versus-python", description = "Also time the reference Python stack's step, alternating rounds.")
  boolean versusPython;

  @Option(names = "--python", defaultValue = "python3", paramLabel = "EXE", description = "Python interpreter with torch and torchvision (default: ${DEFAULT-VALUE}).")
  String python;

  @Option(names = "--rounds", defaultValue = "3", paramLabel = "N", description = "With --versus-python: rounds of (DJL, Python) (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() {
    if (threads < 1 || steps < 1 || warmup < 0 || batch < 1 || classes < 1) {
      System.err.println("aevlp bench train-step: --threads, --steps, --batch and --classes must be >= 1, --warmup >= 0");
      return 2;
    }
    DjlThreads.configure(threads);
    TrainStepBenchmark.Settings settings =
        new TrainStepBenchmark.Settings(arch, imageSize, batch, classes, warmup, steps, seed);
    if (versusPython) {
      return versusPython(settings);
    }
    TrainStepBenchmark.Result r = TrainStepBenchmark.run(settings, System.err);
    System.out.printf(Locale.ROOT, "arch=%s image_size=%d batch=%d classes=%d parameters=%d steps=%d%n",
        arch, imageSize, batch, classes, r.parameterCount(), steps);
    System.out.printf(Locale.ROOT, "flatten_s=%.4f apply_s=%.4f (median: read all parameters as one flat buffer; "
        + "Adam step from a flat gradient)%n", r.medianFlattenSeconds(), r.medianApplySeconds());
    System.out.printf(Locale.ROOT, "rss_after_100_steps_mb=%s rss_at_end_mb=%s%n",
        megabytes(r.rssAfter100StepsBytes()), megabytes(r.rssAtEndBytes()));
    System.out.printf(Locale.ROOT, "images_per_second=%.2f step_s=%.4f threads=%d%n",
        r.imagesPerSecond(), r.medianStepSeconds(), threads);
    return 0;
  }

  /** Alternating rounds so that both stacks see the same machine load; medians over rounds. */
  private int versusPython(TrainStepBenchmark.Settings settings) {
    if (rounds < 1) {
      System.err.println("aevlp bench train-step: --rounds must be >= 1");
      return 2;
    }
    PythonTrainStep reference;
    try {
      reference = PythonTrainStep.using(python);
    } catch (IOException e) {
      System.err.println("aevlp bench train-step: " + e.getMessage());
      return 1;
    }
    double[] djl = new double[rounds];
    double[] torch = new double[rounds];
    String stack = "";
    for (int round = 0; round < rounds; round++) {
      djl[round] = TrainStepBenchmark.run(settings, System.err).imagesPerSecond();
      try {
        PythonTrainStep.Measurement m = reference.measure(settings, threads);
        torch[round] = m.imagesPerSecond();
        stack = m.stack();
      } catch (IOException e) {
        System.err.println("aevlp bench train-step: " + e.getMessage());
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
      System.out.printf(Locale.ROOT, "round %d: djl_images_per_second=%.2f python_images_per_second=%.2f%n",
          round + 1, djl[round], torch[round]);
    }
    double djlMedian = TrainStepBenchmark.median(djl);
    double torchMedian = TrainStepBenchmark.median(torch);
    System.out.printf(Locale.ROOT, "arch=%s image_size=%d batch=%d classes=%d threads=%d rounds=%d python: %s%n",
        arch, imageSize, batch, classes, threads, rounds, stack);
    System.out.printf(Locale.ROOT, "djl_images_per_second=%.2f python_images_per_second=%.2f djl_over_python=%.2f%n",
        djlMedian, torchMedian, djlMedian / torchMedian);
    return 0;
  }

  private static String megabytes(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
  }
}
