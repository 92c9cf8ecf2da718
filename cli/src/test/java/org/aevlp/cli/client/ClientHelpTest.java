package org.aevlp.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.aevlp.cli.AevlpCommand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class ClientHelpTest {

  @ParameterizedTest
  @ValueSource(strings = {"submit", "watch", "list", "get", "cancel"})
  void helpDocumentsExitCodesAndTheSharedOptions(String command) {
    CommandLine commandLine = AevlpCommand.newCommandLine();
    StringWriter out = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    assertEquals(0, commandLine.execute(command, "--help"));
    String help = out.toString();
    for (String expected : new String[] {"Exit codes:", "bad arguments", "coordinator unreachable", "--coordinator",
        "AEVLP_COORDINATOR", "--tls-ca", "--token-file", "AEVLP_TOKEN", "--output"}) {
      assertTrue(help.contains(expected), command + " --help lacks " + expected + ":\n" + help);
    }
  }
}
