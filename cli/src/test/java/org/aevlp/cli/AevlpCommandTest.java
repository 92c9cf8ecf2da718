package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AevlpCommandTest {

  private static final String[] COMMANDS = {"demo", "local", "compare", "dataset", "coordinator", "worker", "labeler", "bench",
      "submit", "watch", "list", "get", "cancel"};

  @Test
  void helpListsEverySubcommand() {
    CommandLine commandLine = AevlpCommand.newCommandLine();
    StringWriter out = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    assertEquals(0, commandLine.execute("--help"));
    for (String command : COMMANDS) {
      assertTrue(out.toString().contains("  " + command), command + " missing from help:\n" + out);
    }
  }

  @Test
  void everySubcommandIsImplementedAndHasItsOwnHelp() {
    for (String command : COMMANDS) {
      CommandLine commandLine = AevlpCommand.newCommandLine();
      StringWriter out = new StringWriter();
      commandLine.setOut(new PrintWriter(out));
      assertEquals(0, commandLine.execute(command, "--help"), command);
      assertTrue(out.toString().startsWith("Usage: aevlp " + command), out.toString());
      assertFalse(out.toString().contains("not available yet"), out.toString());
    }
  }
}
