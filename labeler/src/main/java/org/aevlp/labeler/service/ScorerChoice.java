package org.aevlp.labeler.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The scorer a labeler should run (DESIGN.md §6).
 *
 * @param name {@code tiny-vlm} or {@code clip-torchscript}
 * @param vlmDir directory of the pretrained tiny VLM (for {@code tiny-vlm})
 * @param clipDir directory of the exported CLIP encoders (for {@code clip-torchscript})
 * @param classNames the classes whose prompts the scorer will embed
 */
public record ScorerChoice(String name, Optional<Path> vlmDir, Optional<Path> clipDir, List<String> classNames) {

  /** The scorers the project knows. */
  public static final List<String> KNOWN = List.of("tiny-vlm", "clip-torchscript");

  public ScorerChoice {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(vlmDir, "vlmDir");
    Objects.requireNonNull(clipDir, "clipDir");
    classNames = List.copyOf(classNames);
  }
}
