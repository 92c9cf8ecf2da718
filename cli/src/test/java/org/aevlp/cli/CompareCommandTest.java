package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.aevlp.common.data.synthetic.SyntheticDatasetGenerator;
import org.aevlp.common.data.synthetic.SyntheticSpec;
import org.aevlp.labeler.vlm.PretrainOptions;
import org.aevlp.labeler.vlm.PretrainProgress;
import org.aevlp.labeler.vlm.PretrainedVlm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code aevlp compare} end to end on an embedded cluster with a labeler: AN and AEVLP, one seed,
 * one epoch, small synthetic data and a quickly pretrained tiny VLM; the table's structure and
 * values, the CSV against the printed table, and a second invocation that reuses the finished runs.
 */
class CompareCommandTest {

  @TempDir static Path temp;

  private static Path data;
  private static Path vlm;
  private static Path config;

  private record Result(int exit, String out, String err, double seconds) {}

  @BeforeAll
  static void smallDataAndVlm() throws Exception {
    data = temp.resolve("data");
    // Quiet backgrounds as ClusterTestData's, but 1-3 objects (so pseudo-labels can find the unobserved
    // ones), plus 1000 captioned images for the VLM.
    SyntheticSpec spec = new SyntheticSpec(7, 600, 200, 1000, 64, 10, 1, 3, 0.3, 0.5, 0.05, 0);
    new SyntheticDatasetGenerator(2).generate(data, spec, done -> { });
    vlm = temp.resolve("vlm");
    PretrainedVlm.loadOrTrain(vlm, data.resolve(SyntheticDatasetGenerator.CAPTIONS_DIR),
        PretrainOptions.defaults().withEpochs(6), PretrainProgress.NONE).close();
    config = temp.resolve("tiny.json");
    Files.writeString(config, """
        {"name": "tiny", "dataset": "synthetic", "data_dir": "%s", "arch": "resnet18-narrow",
         "use_pretrained": false, "image_size": 64, "bsize": 16, "num_epochs": 4, "lr": 1e-3, "lr_mult": 1,
         "loss": "gpr_loss", "use_pl": true, "grid_size": 2, "temp": 0.01, "eta": 0.0, "threshold": 0.3,
         "negative_ratio": 0.2, "reg": 0.05, "early_stop": false, "seed": 1200}
        """.formatted(data.toAbsolutePath()), StandardCharsets.UTF_8);
  }

  private static Result compare(String methods, Path runDir) {
    List<String> args = List.of("compare", config.toString(), "--methods", methods, "--seeds", "1", "--epochs", "1",
        "--run-dir", runDir.toString(), "--vlm-dir", vlm.toString(), "--workers", "1", "--no-progress");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = AevlpCommand.newCommandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    long start = System.nanoTime();
    int exit = commandLine.execute(args.toArray(String[]::new));
    return new Result(exit, out.toString(), err.toString(), (System.nanoTime() - start) / 1e9);
  }

  /** The printed table: the header line, the rule, then rows until a line that is not a method row. */
  private static List<List<String>> printedTable(String out) {
    List<String> lines = out.lines().toList();
    int header = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("method ")) {
        header = i;
      }
    }
    assertTrue(header >= 0, "no table header in:\n" + out);
    assertTrue(lines.get(header + 1).matches("-+( +-+)+"), "a rule under the header: " + lines.get(header + 1));
    List<List<String>> table = new ArrayList<>();
    table.add(List.of(lines.get(header).split(" {2,}")));
    for (int i = header + 2; i < lines.size() && lines.get(i).matches("(an|aevlp) .*"); i++) {
      table.add(List.of(lines.get(i).split(" {2,}")));
    }
    return table;
  }

  private static Set<Path> runDirectories() throws IOException {
    try (Stream<Path> entries = Files.list(temp.resolve("runs"))) {
      return entries.filter(p -> !p.getFileName().toString().startsWith("compare-")).collect(Collectors.toSet());
    }
  }

  @Test
  void twoMethodsGiveAMeasuredTableAndARerunReusesThem() throws Exception {
    Result first = compare("an,aevlp", temp.resolve("runs"));
    assertEquals(0, first.exit(), first.out() + first.err());

    List<List<String>> table = printedTable(first.out());
    assertEquals(CompareTable.HEADER, table.get(0));
    assertEquals(3, table.size(), "header + one row per method:\n" + first.out());
    List<String> an = table.get(1);
    List<String> aevlp = table.get(2);
    assertEquals("an", an.get(0));
    assertEquals("aevlp", aevlp.get(0));
    for (List<String> row : List.of(an, aevlp)) {
      assertEquals(CompareTable.HEADER.size(), row.size(), row.toString());
      assertEquals("1", row.get(1), "one completed run");
      double map = Double.parseDouble(row.get(2));
      assertTrue(map > 0 && map <= 100, "test mAP " + map);
      assertEquals("-", row.get(3), "no standard deviation of a single seed");
      assertTrue(Double.parseDouble(row.get(7)) >= 1, "wall time in seconds: " + row.get(7));
    }
    assertEquals(List.of("-", "-", "-"), an.subList(4, 7), "AN uses no pseudo-labels");
    for (String cell : aevlp.subList(4, 7)) {
      double value = Double.parseDouble(cell);
      assertTrue(value >= 0 && value <= 100, "pseudo-label figure " + cell);
    }
    assertTrue(Double.parseDouble(aevlp.get(6)) > 0, "DAMP found some unobserved positives: " + aevlp);

    Path outDir = temp.resolve("runs").resolve("compare-tiny");
    List<List<String>> csv = Files.readAllLines(outDir.resolve("compare.csv")).stream()
        .map(line -> List.of(line.split(",", -1))).toList();
    assertEquals(table, csv, "the CSV holds the printed cells");
    String markdown = Files.readString(outDir.resolve("compare.md"));
    assertTrue(markdown.contains("| " + String.join(" | ", aevlp) + " |"), markdown);
    List<String> runs = Files.readAllLines(outDir.resolve("compare-runs.csv"));
    assertEquals(3, runs.size(), "header + one line per run: " + runs);
    assertTrue(runs.get(1).startsWith("an,1200,") && runs.get(1).contains(",COMPLETED,"), runs.get(1));
    assertTrue(runs.get(2).startsWith("aevlp,1200,") && runs.get(2).contains(",COMPLETED,"), runs.get(2));

    Set<Path> before = runDirectories();
    assertEquals(2, before.size(), before.toString());
    Result second = compare("an,aevlp", temp.resolve("runs"));
    assertEquals(0, second.exit(), second.out() + second.err());
    assertEquals(before, runDirectories(), "no new run directory");
    assertFalse(second.out().contains("submitted "), second.out());
    assertEquals(2, second.out().lines().filter(l -> l.startsWith("reusing ")).count(), second.out());
    assertEquals(table, printedTable(second.out()), "the same measured values, read back from the run store");
    assertTrue(second.seconds() < first.seconds(), "reusing (" + second.seconds() + " s) is faster than running ("
        + first.seconds() + " s)");
  }

  @Test
  void anAblationThatRepeatsAevlpIsRefusedWhenNamed() {
    // The config's eta is 0: aevlp-no-eta would run aevlp's exact spec.
    Result result = compare("aevlp,aevlp-no-eta", temp.resolve("refused"));
    assertEquals(2, result.exit(), result.err());
    assertTrue(result.err().contains("aevlp-no-eta would run the same spec as aevlp: the config's eta is already 0"),
        result.err());
    assertFalse(Files.exists(temp.resolve("refused")), "nothing was started");
  }

  @Test
  void anUnknownMethodIsNamed() {
    Result result = compare("an,bce", temp.resolve("unknown"));
    assertEquals(2, result.exit(), result.err());
    assertTrue(result.err().contains("--methods: unknown method \"bce\"; known: full, an, an_pl, gpr, aevlp"),
        result.err());
  }
}
