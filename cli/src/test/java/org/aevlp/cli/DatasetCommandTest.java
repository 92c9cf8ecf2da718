package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetCommandTest {

  @TempDir Path temp;

  /** Runs {@code aevlp args...}; returns exit code, stdout and stderr. */
  private static Run run(String... args) {
    CommandLine commandLine = AevlpCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private record Run(int code, String out, String err) {}

  private static long count(Path dir, String suffix) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(suffix)).count();
    }
  }

  @Test
  void syntheticWritesTheFormattedLayoutAndPrintsStatistics() throws Exception {
    Path out = temp.resolve("synthetic");
    Run run =
        run("dataset", "synthetic", "--out", out.toString(), "--seed", "3", "--train", "30", "--test", "10",
            "--captions", "12", "--threads", "2");
    assertEquals(0, run.code(), run.err());

    assertEquals(40, count(out.resolve("images"), ".png"));
    assertEquals(12, count(out.resolve("captions/images"), ".png"));
    assertEquals(12, Files.readAllLines(out.resolve("captions/captions.jsonl")).size());
    for (String phase : List.of("train", "val")) {
      for (String kind : List.of("images", "labels", "labels_obs")) {
        assertTrue(Files.isRegularFile(out.resolve("formatted_" + phase + "_" + kind + ".npy")), phase + " " + kind);
      }
    }
    assertEquals(10, Files.readAllLines(out.resolve("classnames.txt")).size());
    assertTrue(Files.readString(out.resolve("dataset.json")).contains("\"seed\" : 3"));

    String text = run.out();
    assertTrue(text.contains("(generated)"), text);
    assertTrue(text.matches("(?s).*formatted_train\\s+30 images, \\d\\.\\d\\d positives per image \\(val_frac 0\\.2: 24 train / 6 val\\).*"), text);
    assertTrue(text.matches("(?s).*formatted_val \\(test\\)\\s+10 images.*"), text);
    assertTrue(text.matches("(?s).*captions\\s+12 images.*"), text);
    assertTrue(text.matches("(?s).*classes\\s+10 \\(circle, square, triangle, star, cross, ring, diamond, heart, arrow, crescent\\).*"), text);
    assertTrue(text.matches("(?s).*observed labels\\s+40 .*"), text);
    assertTrue(text.matches("(?s).*time\\s+\\d+\\.\\d s.*"), text);

    Run again =
        run("dataset", "synthetic", "--out", out.toString(), "--seed", "3", "--train", "30", "--test", "10",
            "--captions", "12", "--no-progress");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("reused"), again.out());
  }

  @Test
  void invalidParametersExitWithUsageErrorNamingTheField() {
    Run run =
        run("dataset", "synthetic", "--out", temp.resolve("x").toString(), "--classes", "3", "--max-objects", "4",
            "--no-progress");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("max_objects"), run.err());
    assertFalse(Files.exists(temp.resolve("x")), "nothing is written for invalid parameters");
  }

  @Test
  void refusesToWriteIntoAForeignDirectory() throws Exception {
    Path foreign = temp.resolve("voc");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    Run run = run("dataset", "synthetic", "--out", foreign.toString(), "--train", "5", "--test", "2", "--no-progress");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("not empty"), run.err());
    assertEquals("mine", Files.readString(foreign.resolve("notes.txt")));
  }

  @Test
  void unwritableOutputExitsWithOneAndAMessage() throws Exception {
    Path file = temp.resolve("a-file");
    Files.writeString(file, "x");
    Run run = run("dataset", "synthetic", "--out", file.resolve("sub").toString(), "--train", "5", "--test", "2", "--no-progress");
    assertEquals(1, run.code());
    assertTrue(run.err().contains("cannot write"), run.err());
  }

  @Test
  void helpListsTheDatasetCommand() {
    Run run = run("--help");
    assertEquals(0, run.code());
    assertTrue(run.out().contains("dataset"), run.out());
    Run synthetic = run("dataset", "synthetic", "--help");
    assertTrue(synthetic.out().contains("--max-objects"), synthetic.out());
  }
}
