package org.aevlp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aevlp.worker.bench.TrainStepBenchmark;

/**
 * The reference stack's training step (PyTorch + torchvision, the shipped {@code train_step.py})
 * run in a Python interpreter with the same settings as {@link TrainStepBenchmark}, for a
 * side-by-side figure on the same machine.
 */
final class PythonTrainStep {

  private static final String SCRIPT = "/org/aevlp/cli/bench/train_step.py";
  private static final Pattern RESULT = Pattern.compile("images_per_second=([0-9.]+) step_s=([0-9.]+)");

  /** One measurement: the median step and the interpreter's description of its stack. */
  record Measurement(double imagesPerSecond, double stepSeconds, String stack) {}

  private final String interpreter;
  private final Path script;

  private PythonTrainStep(String interpreter, Path script) {
    this.interpreter = interpreter;
    this.script = script;
  }

  /** Writes the script next to nothing else: a temporary file deleted when the JVM exits. */
  static PythonTrainStep using(String interpreter) throws IOException {
    Path script = Files.createTempFile("aevlp-train-step-", ".py");
    script.toFile().deleteOnExit();
    try (InputStream in = PythonTrainStep.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IOException(SCRIPT + " is missing from the jar");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    return new PythonTrainStep(interpreter, script);
  }

  /**
   * Runs the script once.
   *
   * @throws IOException naming the interpreter when it cannot run, lacks torch/torchvision, or
   *     prints no result
   */
  Measurement measure(TrainStepBenchmark.Settings settings, int threads) throws IOException, InterruptedException {
    List<String> command = List.of(interpreter, script.toString(), "--arch", settings.arch(),
        "--image-size", Integer.toString(settings.imageSize()), "--batch", Integer.toString(settings.batch()),
        "--classes", Integer.toString(settings.classes()), "--threads", Integer.toString(threads),
        "--warmup", Integer.toString(settings.warmupSteps()), "--steps", Integer.toString(settings.steps()),
        "--seed", Integer.toString(settings.seed()));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("cannot run " + interpreter + " (--python): " + e.getMessage(), e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
      String hint = output.contains("No module named") ? " (it needs torch and torchvision; on Debian: apt-get install"
          + " python3-torch python3-torchvision)" : "";
      throw new IOException(interpreter + " " + script.getFileName() + " failed" + hint + ":\n" + output.strip());
    }
    Matcher result = RESULT.matcher(output);
    Optional<String> stack = output.lines().filter(line -> line.startsWith("torch=")).findFirst();
    if (!result.find()) {
      throw new IOException(interpreter + " printed no result:\n" + output.strip());
    }
    return new Measurement(Double.parseDouble(result.group(1)), Double.parseDouble(result.group(2)),
        stack.orElse("torch version unknown"));
  }
}
