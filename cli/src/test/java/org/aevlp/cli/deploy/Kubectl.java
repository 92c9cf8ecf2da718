package org.aevlp.cli.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The {@code kubectl} binary on the PATH, run as a real process. Missing, the tests that need it
 * are skipped on a developer's machine and fail in CI ({@code CI=true}), where .ci/run installs it.
 */
final class Kubectl {

  private final Path binary;

  private Kubectl(Path binary) {
    this.binary = binary;
  }

  /** The kubectl on the PATH; aborts (skips) the calling test when there is none, fails under CI=true. */
  static Kubectl onPathOrSkip() {
    Optional<Path> found = find();
    if (found.isEmpty()) {
      String why = "kubectl not found on the PATH: the k8s/ manifests test needs `kubectl kustomize`"
          + " (Debian: apt-get install kubernetes-client)";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    return new Kubectl(found.get());
  }

  private static Optional<Path> find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The YAML {@code kubectl kustomize DIR} prints; fails with kubectl's own error output otherwise. */
  String kustomize(Path dir) throws IOException, InterruptedException {
    Path stderr = Files.createTempFile("kubectl-kustomize", ".err");
    try {
      Process process = new ProcessBuilder(binary.toString(), "kustomize", dir.toString())
          .redirectError(stderr.toFile())
          .redirectInput(ProcessBuilder.Redirect.PIPE)
          .start();
      process.getOutputStream().close();
      // read before waiting: the rendered YAML is larger than a pipe's buffer
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail("kubectl kustomize " + dir + " did not finish in 2 minutes");
      }
      if (process.exitValue() != 0) {
        fail("kubectl kustomize " + dir + " exited " + process.exitValue() + ": "
            + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      return out;
    } finally {
      Files.deleteIfExists(stderr);
    }
  }
}
