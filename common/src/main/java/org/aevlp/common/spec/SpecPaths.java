package org.aevlp.common.spec;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The spec fields that name files or directories, and whether a text can be a path on this
 * machine at all: a NUL or an unpaired surrogate (text that has no encoding in the file system's
 * charset) makes {@link Path#of} throw, which must become a spec problem, not an exception.
 */
final class SpecPaths {

  /** Fields holding a path. */
  static final List<String> FIELDS = List.of("data_dir", "pretrained_path", "classnames", "relation");

  private SpecPaths() {}

  /** Why {@code text} is not a path on this machine; empty when it is one. */
  static Optional<String> whyInvalid(String text) {
    try {
      Path.of(text);
      return Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.of(e.getReason());
    }
  }
}
