package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AevlpCommandTest {

  @Test
  void helpListsEverySubcommand() {
    CommandLine commandLine = AevlpCommand.newCommandLine();
    StringWriter out = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    assertEquals(0, commandLine.execute("--help"));
    for (PendingCommand pending : PendingCommand.values()) {
      assertTrue(out.toString().contains(pending.commandName()), pending.commandName() + " missing from help");
    }
    for (String client : new String[] {"submit", "watch", "list", "get", "cancel"}) {
      assertTrue(out.toString().contains(client), client + " missing from help");
    }
  }

  @Test
  void pendingSubcommandSaysItIsNotAvailable() {
    CommandLine commandLine = AevlpCommand.newCommandLine();
    assertEquals(PendingCommand.EXIT_NOT_AVAILABLE, commandLine.execute("demo"));
  }
}
