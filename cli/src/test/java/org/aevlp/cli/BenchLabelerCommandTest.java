package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchLabelerCommandTest {

  @Test
  void printsBothRatiosLastAndSaysWhenTheUntrainedScorerIsUsed() {
    CommandLine commandLine = AevlpCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute("bench", "labeler", "--samples", "8", "--clients", "2", "--samples-per-request", "2",
        "--grid-size", "2", "--max-batch", "8", "--input-size", "16", "--actors", "1", "--rounds", "1");
    assertEquals(0, code, err.toString());

    List<String> lines = out.toString().lines().toList();
    assertTrue(lines.stream().anyMatch(line -> line.startsWith("scorer_note=") && line.contains("untrained")), out.toString());
    assertTrue(lines.get(lines.size() - 2).matches("batching_speedup=\\d+\\.\\d\\d"), lines.get(lines.size() - 2));
    assertTrue(lines.get(lines.size() - 1).matches("cached_epoch_speedup=\\d+\\.\\d\\d"), lines.get(lines.size() - 1));
    // Both flips are embedded in epoch 1, so epoch 2 finds every view in the cache.
    assertTrue(lines.contains("second_epoch_cache_hit_rate=1.000"), out.toString());
  }
}
