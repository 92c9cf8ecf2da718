package org.aevlp.cli.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root directory, found upwards from the working directory (cli/ under Maven). */
final class RepositoryRoot {

  private RepositoryRoot() {}

  static Path find() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isDirectory(candidate.resolve("k8s/overlays")) && Files.isRegularFile(candidate.resolve("pom.xml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no directory with k8s/overlays and pom.xml above " + dir);
  }
}
