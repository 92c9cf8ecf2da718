package org.aevlp.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.common.runs.RunState;
import org.aevlp.common.spec.SpecLoader;
import org.aevlp.common.tensor.GrpcTensorTransport;
import org.aevlp.common.tensor.TensorChannelServer;
import org.aevlp.common.tensor.TensorStore;
import org.aevlp.coordinator.runner.RunListener;
import org.aevlp.coordinator.runner.RunnerSettings;
import org.aevlp.coordinator.runner.StepProgress;
import org.aevlp.proto.v1.ExperimentSpec;
import org.aevlp.worker.actor.NetworkReplicaFactory;
import org.aevlp.worker.actor.WorkerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aevlp bench cluster}: measures the cluster engine side by side in one run (method and
 * figures in docs/BENCHMARKS.md, "Cluster"). Every worker JVM gets one intra-op thread; the first
 * {@link #WARM_UP_STEPS} steps of each run are left out of the timings.
 *
 * <ul>
 *   <li>{@code scaling}: training throughput with 2 worker JVMs vs 1, same global batch;
 *   <li>{@code channel}: the tensor channel alone, push and pull of ResNet-18/50-sized buffers;
 *   <li>{@code exchange}: share of step time in gradient exchange + reduction for ResNet-18 and
 *       ResNet-50 parameter counts, workers in the coordinator's JVM and in 2 worker JVMs;
 *   <li>{@code local-sgd}: {@code sync_every} 4 vs 1 with 2 worker JVMs: throughput and test mAP.
 * </ul>
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Cluster benchmarks: worker scaling, gradient-exchange share, local SGD (see docs/BENCHMARKS.md).")
final class BenchClusterCommand implements Callable<Integer> {

  static final int WARM_UP_STEPS = 2;

  /** 600 train+val / 200 test images, 64 px, 10 classes, one large object on a quiet background. */
  static final SyntheticSpec BENCH_DATA = new SyntheticSpec(7, 600, 200, 0, 64, 10, 1, 1, 0.45, 0.65, 0.05, 0);

  @Spec CommandSpec spec;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR",
      description = "Synthetic dataset directory; generated when empty (600 train+val / 200 test, 64 px, one large"
          + " object per image, so that a few epochs from scratch learn).")
  Path dataDir;

  @Option(names = "--work-dir", required = true, paramLabel = "DIR", description = "Run directories and worker logs.")
  Path workDir;

  @Option(names = "--scenarios", split = ",", paramLabel = "NAME",
      description = "Any of scaling, channel, exchange, local-sgd (default: all).")
  List<String> scenarios = List.of("scaling", "channel", "exchange", "local-sgd");

  @Option(names = "--epochs", paramLabel = "N", description = "Epochs of the local-sgd runs (default: ${DEFAULT-VALUE}).")
  int epochs = 5;

  private PrintWriter out;
  private int runCounter;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Files.createDirectories(workDir);
    if (!Files.exists(dataDir.resolve("formatted_train_images.npy"))) {
      new SyntheticDatasetGenerator(2).generate(dataDir, BENCH_DATA, done -> { });
    }
    if (scenarios.contains("scaling")) {
      scaling();
    }
    if (scenarios.contains("channel")) {
      channel();
    }
    if (scenarios.contains("exchange")) {
      exchange();
    }
    if (scenarios.contains("local-sgd")) {
      localSgd();
    }
    return 0;
  }

  private void scaling() throws Exception {
    ExperimentSpec base = spec("resnet18-narrow", 64, 32, 1, 1.0, 1);
    Measured one = run("scaling-1jvm", base, 0, 1);
    Measured two = run("scaling-2jvm", base, 0, 2);
    double ratio = two.imagesPerSecond() / one.imagesPerSecond();
    out.printf(Locale.ROOT, "%nscaling (resnet18-narrow, 64 px, global batch 32, 1 thread per worker JVM)%n");
    for (Measured m : List.of(one, two)) {
      out.printf(Locale.ROOT, "  %s: %7.1f img/s; median step %.1f ms = slowest compute %.1f ms + exchange %.1f ms"
          + " + rest (%d timed steps)%n", m == one ? "1 worker JVM " : "2 worker JVMs", m.imagesPerSecond(),
          1000 * m.medianStepSeconds(), 1000 * m.medianComputeSeconds(), 1000 * m.medianExchangeSeconds(), m.steps());
    }
    out.printf(Locale.ROOT, "  ratio %.2f, scaling efficiency %.0f %%%n", ratio, 100 * ratio / 2);
    out.flush();
  }

  /** The TensorChannel alone: push and pull of ResNet-sized buffers over gRPC on loopback, no training. */
  private void channel() throws Exception {
    out.printf(Locale.ROOT, "%ntensor channel alone (gRPC on loopback, 1 MiB chunks, median of 20 after 2 warm-up)%n");
    try (TensorStore store = TensorStore.open();
        TensorChannelServer server = TensorChannelServer.start(store, "127.0.0.1", 0);
        GrpcTensorTransport transport = new GrpcTensorTransport("127.0.0.1", server.port())) {
      for (long floats : new long[] {703_386L, 11_176_512L + 5_130L, 23_508_032L + 20_490L}) {
        float[] buffer = new float[(int) floats];
        java.util.Arrays.fill(buffer, 0.5f);
        List<Double> push = new ArrayList<>();
        List<Double> pull = new ArrayList<>();
        for (int i = 0; i < 22; i++) {
          long start = System.nanoTime();
          transport.publish("bench/" + i, buffer);
          long pushed = System.nanoTime();
          transport.fetch("bench/" + i, java.time.Duration.ofSeconds(5));
          long pulled = System.nanoTime();
          store.remove("bench/" + i);
          if (i >= 2) {
            push.add((pushed - start) / 1e6);
            pull.add((pulled - pushed) / 1e6);
          }
        }
        out.printf(Locale.ROOT, "  %5.1f MB: push %6.1f ms, pull %6.1f ms%n", floats * 4 / 1e6, Measured.median(push),
            Measured.median(pull));
        out.flush();
      }
    }
  }

  private void exchange() throws Exception {
    out.printf(Locale.ROOT, "%nexchange share (32 px, global batch 8, 2 workers, 1 thread each)%n");
    out.printf(Locale.ROOT, "  %-9s %-13s %10s %12s %12s %8s%n", "network", "workers", "params", "step ms",
        "exchange ms", "share");
    for (String arch : List.of("resnet18", "resnet50")) {
      ExperimentSpec base = spec(arch, 32, 8, 1, 0.15, 1);
      for (int processes : new int[] {0, 2}) {
        Measured m = run("exchange-" + arch + "-" + (processes == 0 ? "1jvm" : "2jvm"), base, processes == 0 ? 2 : 0,
            processes);
        out.printf(Locale.ROOT, "  %-9s %-13s %10s %12.1f %12.1f %7.1f %%%n", arch,
            processes == 0 ? "in one JVM" : "2 worker JVMs", arch.equals("resnet18") ? "11.2 M" : "23.5 M",
            1000 * m.medianStepSeconds(), 1000 * m.medianExchangeSeconds(), 100 * m.exchangeShare());
        out.flush();
      }
    }
  }

  private void localSgd() throws Exception {
    Measured every = run("sync-every-1", spec("resnet18-narrow", 64, 16, epochs, 1.0, 1), 0, 2);
    Measured local = run("sync-every-4", spec("resnet18-narrow", 64, 16, epochs, 1.0, 4), 0, 2);
    out.printf(Locale.ROOT, "%nlocal SGD (resnet18-narrow, 64 px, global batch 16, %d epochs, 2 worker JVMs)%n", epochs);
    out.printf(Locale.ROOT, "  sync_every 1: %7.1f img/s, test mAP %.2f%n", every.imagesPerSecond(), every.testMap());
    out.printf(Locale.ROOT, "  sync_every 4: %7.1f img/s, test mAP %.2f%n", local.imagesPerSecond(), local.testMap());
    out.printf(Locale.ROOT, "  throughput ratio %.2f, mAP difference %+.2f points%n",
        local.imagesPerSecond() / every.imagesPerSecond(), local.testMap() - every.testMap());
    out.flush();
  }

  /** A synthetic full-label spec (no labeler needed). */
  private ExperimentSpec spec(String arch, int imageSize, int batch, int numEpochs, double trainFraction,
      int syncEvery) throws Exception {
    String json = String.format(Locale.ROOT, """
        {"name": "bench", "dataset": "synthetic", "data_dir": "%s", "arch": "%s", "use_pretrained": false,
         "image_size": %d, "bsize": %d, "num_epochs": %d, "lr": 1e-3, "lr_mult": 1, "loss": "full_loss",
         "ss_frac_train": %s, "ss_frac_val": %s, "sync_every": %d, "early_stop": false, "seed": 1200}
        """, dataDir.toAbsolutePath(), arch, imageSize, batch, numEpochs, trainFraction,
        trainFraction < 1 ? "0.1" : "1.0", syncEvery);
    return SpecLoader.builtIn().load(json, "bench-cluster").spec();
  }

  /** A step and when the runner reported it. */
  private record TimedStep(StepProgress step, long endNanos) {}

  /** Step timings and outcome of one run. */
  private record Measured(List<StepProgress> timed, double trainingImagesPerSecond, double testMap) {
    int steps() {
      return timed.size();
    }

    /**
     * Training throughput by the wall clock between consecutive steps of the same epoch: it counts
     * everything between two steps (parameter averaging with local SGD, the runner's own work) but
     * not the evaluation and checkpoint at epoch ends.
     */
    static double throughput(List<TimedStep> steps) {
      long samples = 0;
      long nanos = 0;
      for (int i = 1; i < steps.size(); i++) {
        StepProgress previous = steps.get(i - 1).step();
        StepProgress current = steps.get(i).step();
        if (current.epoch() == previous.epoch() && current.step() > WARM_UP_STEPS) {
          samples += current.samples();
          nanos += steps.get(i).endNanos() - steps.get(i - 1).endNanos();
        }
      }
      return samples / (nanos / 1e9);
    }

    double imagesPerSecond() {
      return trainingImagesPerSecond;
    }

    double exchangeShare() {
      return timed.stream().mapToDouble(StepProgress::exchangeSeconds).sum()
          / timed.stream().mapToDouble(StepProgress::stepSeconds).sum();
    }

    double medianStepSeconds() {
      return median(timed.stream().map(StepProgress::stepSeconds).toList());
    }

    double medianComputeSeconds() {
      return median(timed.stream().map(StepProgress::computeSeconds).toList());
    }

    double medianExchangeSeconds() {
      return median(timed.stream().map(StepProgress::exchangeSeconds).toList());
    }

    static double median(List<Double> values) {
      List<Double> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }
  }

  /** Runs a spec with {@code local} workers in this JVM and {@code processes} worker JVMs. */
  private Measured run(String name, ExperimentSpec runSpec, int local, int processes) throws Exception {
    List<TimedStep> steps = Collections.synchronizedList(new ArrayList<>());
    RunListener listener = new RunListener() {
      @Override
      public void onStep(StepProgress progress) {
        steps.add(new TimedStep(progress, System.nanoTime()));
      }
    };
    Path runs = workDir.resolve("runs");
    try (LoopbackCluster cluster = LoopbackCluster.start(runs,
        RunnerSettings.defaults(Optional.of(dataDir)).withWorkersToStart(local + processes))) {
      if (local > 0) {
        cluster.addLocalWorkers(local, WorkerSettings.of(Optional.of(dataDir), List.of()).withDecoderThreads(1),
            new NetworkReplicaFactory("cpu"));
      }
      for (int p = 1; p <= processes; p++) {
        cluster.addWorkerProcess(dataDir, 1, workDir.resolve(name + "-worker-" + p + ".log"));
      }
      String runId = name + "-" + (++runCounter) + "-" + System.currentTimeMillis();
      CoordinatorNode.Outcome outcome = cluster.run(runId, runSpec, listener).get(60, TimeUnit.MINUTES);
      if (outcome.state() != RunState.COMPLETED) {
        throw new IllegalStateException(name + " failed: " + outcome.reason());
      }
      List<StepProgress> timed = steps.stream().map(TimedStep::step).filter(s -> s.step() > WARM_UP_STEPS).toList();
      out.printf(Locale.ROOT, "  [%s: %d timed steps, test mAP %.2f]%n", name, timed.size(),
          outcome.result().orElseThrow().testMap());
      out.flush();
      return new Measured(timed, Measured.throughput(steps), outcome.result().orElseThrow().testMap());
    }
  }
}
