package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aevlp.common.npy.NpyArray;
import org.aevlp.common.npy.NpyReader;
import org.aevlp.labeler.scorer.Scorer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetRelationCommandTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Class i's prompt embeds as e_0 + i·e_1 in two dimensions: cosines known in closed form. */
  private static final class LineScorer implements Scorer {
    @Override
    public String name() {
      return "line";
    }

    @Override
    public int inputSize() {
      return 8;
    }

    @Override
    public int embeddingDimension() {
      return 2;
    }

    @Override
    public float[][] embedImages(List<float[]> views) {
      throw new UnsupportedOperationException("no images here");
    }

    @Override
    public float[][] embedTexts(List<String> prompts) {
      float[][] rows = new float[prompts.size()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = new float[] {1, i};
      }
      return rows;
    }

    @Override
    public void close() {}
  }

  private int run(String... args) {
    CommandLine line = new CommandLine(new DatasetRelationCommand(choice -> new LineScorer()));
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    return line.execute(args);
  }

  @Test
  void writesTheCosineMatrixOfTheClassPrompts() throws Exception {
    Files.createDirectories(dir.resolve("tiny-vlm"));
    assertEquals(0, run("--data-dir", dir.toString()), err.toString());

    NpyArray written = NpyReader.read(dir.resolve("relation.npy"));
    assertEquals(List.of(10, 10), written.shape());
    double[][] relation = written.toDoubleMatrix();
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 10; j++) {
        double expected = (1.0 + i * j) / Math.sqrt((1.0 + i * i) * (1.0 + j * j));
        assertEquals(expected, relation[i][j], 1e-6, "(" + i + ", " + j + ")");
      }
    }
    assertTrue(out.toString().contains("Relation matrix of synthetic (10 classes, scorer tiny-vlm) in "), out.toString());
  }

  @Test
  void withoutATinyVlmItSaysWhereItLookedAndWritesNothing() {
    assertEquals(2, run("--data-dir", dir.toString()));
    assertTrue(err.toString().contains("--data-dir: no tiny VLM in " + dir.resolve("tiny-vlm")), err.toString());
    assertTrue(Files.notExists(dir.resolve("relation.npy")));
  }
}
