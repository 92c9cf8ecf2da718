package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The mistakes people make first get one clear line on stderr and a non-zero exit, never a stack
 * trace: a missing config, a dataset directory that is not there, a port in use, a coordinator
 * that does not answer.
 */
class CommandErrorsTest {

  @TempDir Path temp;

  private record Result(int exit, String err) {}

  private static Result run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine commandLine = AevlpCommand.newCommandLine();
    commandLine.setErr(new PrintWriter(err));
    commandLine.setOut(new PrintWriter(new StringWriter()));
    return new Result(commandLine.execute(args), err.toString());
  }

  private static void assertOneClearLine(Result result, int exit, String mentions) {
    assertEquals(exit, result.exit(), result.err());
    String text = result.err().strip();
    assertEquals(1, text.lines().filter(l -> !l.startsWith("warning: ")).count(), "one line: " + text);
    assertTrue(text.contains(mentions), text);
    assertFalse(text.contains("Exception") || text.contains("\tat "), "no stack trace: " + text);
  }

  @Test
  void aMissingConfigIsNamed() {
    String missing = temp.resolve("nope.json").toString();
    assertOneClearLine(run("coordinator", "--run-dir", temp.resolve("runs").toString(), "--config", missing,
        "--port", "0", "--grpc-port", "0", "--tensor-port", "0", "--metrics-port", "0"), 2, "nope.json");
    assertOneClearLine(run("local", "--config", missing), 2, "nope.json");
    assertOneClearLine(run("demo", "--config", missing), 2, "nope.json");
  }

  @Test
  void aMissingDatasetDirectoryIsNamed() throws Exception {
    Path config = temp.resolve("voc.json");
    Files.writeString(config, "{\"dataset\": \"pascal\", \"data_dir\": \"" + temp.resolve("no-voc-here")
        + "\", \"arch\": \"resnet18\", \"use_pretrained\": false, \"loss\": \"an_loss\"}");
    assertOneClearLine(run("local", "--config", config.toString()), 2, "no-voc-here");
  }

  @Test
  void aPortInUseIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertOneClearLine(run("coordinator", "--run-dir", temp.resolve("runs").toString(), "--port",
          Integer.toString(LoopbackCluster.freePort()), "--grpc-port", Integer.toString(port), "--tensor-port", "0",
          "--metrics-port", "0"),
          3, "port " + port);
      assertOneClearLine(run("coordinator", "--run-dir", temp.resolve("runs").toString(), "--port",
          Integer.toString(port), "--grpc-port", "0", "--tensor-port", "0", "--metrics-port", "0"), 3, ":" + port);
    }
  }

  @Test
  void anUnreachableCoordinatorIsNamed() throws Exception {
    int closed = LoopbackCluster.freePort();
    assertOneClearLine(run("list", "--coordinator", "127.0.0.1:" + closed), 5, "127.0.0.1:" + closed);
  }
}
