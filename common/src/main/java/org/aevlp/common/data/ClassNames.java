package org.aevlp.common.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The ordered, distinct class names of a dataset; a class's index is its position.
 *
 * <p>File format: UTF-8, one name per line, surrounding whitespace trimmed, blank lines skipped.
 */
public final class ClassNames {

  private final List<String> names;
  private final Map<String, Integer> indexByName;

  private ClassNames(List<String> names, Map<String, Integer> indexByName) {
    this.names = names;
    this.indexByName = indexByName;
  }

  /** Class names in index order; they must be distinct and not blank. */
  public static ClassNames of(List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a dataset needs at least one class name");
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name.isBlank()) {
        throw new IllegalArgumentException("class " + i + " has a blank name");
      }
      Integer earlier = index.putIfAbsent(name, i);
      if (earlier != null) {
        throw new IllegalArgumentException("class '" + name + "' appears at " + earlier + " and " + i);
      }
    }
    return new ClassNames(List.copyOf(names), Map.copyOf(index));
  }

  /** Reads a class-names file; a repeated name is an error naming the file and line. */
  public static ClassNames read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new DatasetFormatException(file, "class-names file not found");
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, Integer> firstLine = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String name = (i == 0 && line.startsWith("\uFEFF") ? line.substring(1) : line).strip();
      if (name.isEmpty()) {
        continue;
      }
      Integer earlier = firstLine.putIfAbsent(name, i + 1);
      if (earlier != null) {
        throw new DatasetFormatException(
            file, "line " + (i + 1) + " repeats class '" + name + "' (first on line " + earlier + ")");
      }
      names.add(name);
    }
    if (names.isEmpty()) {
      throw new DatasetFormatException(file, "no class names (expected one per line)");
    }
    return of(names);
  }

  /** The names in index order. */
  public List<String> names() {
    return names;
  }

  /** Number of classes. */
  public int size() {
    return names.size();
  }

  /** The index of a class name, if it is one. */
  public OptionalInt indexOf(String name) {
    Integer index = indexByName.get(name);
    return index == null ? OptionalInt.empty() : OptionalInt.of(index);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClassNames that && names.equals(that.names);
  }

  @Override
  public int hashCode() {
    return names.hashCode();
  }

  @Override
  public String toString() {
    return "ClassNames" + names;
  }
}
