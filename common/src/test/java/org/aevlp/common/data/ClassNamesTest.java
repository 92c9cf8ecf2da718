package org.aevlp.common.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassNamesTest {

  @TempDir Path dir;

  @Test
  void readsOneNamePerLineSkippingBlanksAndTrimming() throws IOException {
    Path file = dir.resolve("classnames.txt");
    Files.writeString(file, "\uFEFFaeroplane\n  bicycle \n\npotted plant\n\n");

    ClassNames names = ClassNames.read(file);

    assertEquals(List.of("aeroplane", "bicycle", "potted plant"), names.names());
    assertEquals(OptionalInt.of(2), names.indexOf("potted plant"));
    assertEquals(OptionalInt.empty(), names.indexOf("boat"));
  }

  @Test
  void rejectsRepeatedNameWithBothLines() throws IOException {
    Path file = dir.resolve("classnames.txt");
    Files.writeString(file, "cat\ndog\n\ncat\n");

    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ClassNames.read(file));
    assertEquals(file + ": line 4 repeats class 'cat' (first on line 1)", e.getMessage());
  }

  @Test
  void rejectsEmptyOrMissingFile() throws IOException {
    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, "\n \n");
    assertEquals(empty + ": no class names (expected one per line)",
        assertThrows(DatasetFormatException.class, () -> ClassNames.read(empty)).getMessage());

    Path missing = dir.resolve("missing.txt");
    assertEquals(missing + ": class-names file not found",
        assertThrows(DatasetFormatException.class, () -> ClassNames.read(missing)).getMessage());
  }
}
