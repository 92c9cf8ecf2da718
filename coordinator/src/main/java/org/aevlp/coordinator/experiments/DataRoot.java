package org.aevlp.coordinator.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.aevlp.proto.v1.ExperimentSpec;

/**
 * The directory a coordinator's submitted specs may name files under (the coordinator's {@code
 * --data-dir}): a spec whose {@code data_dir} or {@code pretrained_path} lies outside it is refused,
 * so a client cannot point the cluster at other files of its hosts. Paths are compared after
 * making them absolute, removing {@code ..} and resolving symbolic links of the part that exists,
 * so neither {@code root/../etc} nor a link inside the root that leads out passes. A relative path
 * is judged from the root: nodes with a {@code --data-dir} read the dataset there whatever the
 * spec's data_dir says (OPERATIONS.md: a spec's {@code data/synthetic} submitted to the cluster),
 * so only a relative path that climbs out ({@code ../x}) is refused.
 *
 * <p>Without a root (no {@code --data-dir}) every path is accepted, as before this check existed.
 */
public final class DataRoot {

  private final Optional<Path> root;

  private DataRoot(Optional<Path> root) {
    this.root = root;
  }

  /** Specs may name only paths under {@code root}. */
  public static DataRoot of(Path root) {
    return new DataRoot(Optional.of(resolved(root).orElse(root.toAbsolutePath().normalize())));
  }

  /** Specs may name any path. */
  public static DataRoot unrestricted() {
    return new DataRoot(Optional.empty());
  }

  /** Under {@code root} when given, unrestricted otherwise. */
  public static DataRoot of(Optional<Path> root) {
    return root.map(DataRoot::of).orElseGet(DataRoot::unrestricted);
  }

  /** The resolved root; empty when unrestricted. */
  public Optional<Path> root() {
    return root;
  }

  /**
   * Checks the spec's path fields.
   *
   * @throws IllegalArgumentException naming the field, when a path lies outside the root
   */
  public void check(ExperimentSpec spec) {
    requireInside("data_dir", spec.getDataDir());
    requireInside("pretrained_path", spec.getPretrainedPath());
  }

  private void requireInside(String field, String value) {
    if (root.isEmpty() || value.isEmpty()) {
      return;
    }
    Optional<Path> path;
    try {
      Path written = Path.of(value);
      path = resolved(written.isAbsolute() ? written : root.get().resolve(written));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(field + ": is not a valid path (" + e.getReason() + ")");
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException(field + ": " + value + " cannot be resolved (a dangling link or an"
          + " unreadable directory), so it cannot be checked against the data root " + root.get());
    }
    if (!path.get().startsWith(root.get())) {
      throw new IllegalArgumentException(field + ": " + value + " is outside this coordinator's data root "
          + root.get() + " (its --data-dir); name a path under it");
    }
  }

  /**
   * The absolute, normalised path with the symbolic links of its longest existing prefix
   * resolved; the rest (not there yet) is appended as written. Empty when the existing part cannot
   * be resolved (a dangling link, a directory that cannot be read).
   */
  static Optional<Path> resolved(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return Optional.of(absolute);
    }
    try {
      return Optional.of(existing.toRealPath().resolve(existing.relativize(absolute)).normalize());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
