package org.aevlp.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.common.grpc.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClientOptionsTest {

  @TempDir Path dir;

  private static ClientOptions parse(String... args) {
    ClientOptions options = new ClientOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void tokenFileWinsOverTheEnvironmentAndIsTrimmed() throws IOException {
    Path file = dir.resolve("token");
    Files.writeString(file, "  from-file \n");
    ClientOptions options = parse("--token-file", file.toString());
    assertEquals(Optional.of("from-file"), options.security(Map.of(ClientOptions.TOKEN_ENV, "from-env")).token());
  }

  @Test
  void environmentGivesTheTokenWithoutAFileAndBlankIsAMistake() throws IOException {
    ClientOptions options = parse();
    assertEquals(Optional.of("from-env"), options.security(Map.of("AEVLP_TOKEN", "from-env")).token());
    IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
        () -> options.security(Map.of("AEVLP_TOKEN", "  ")));
    assertTrue(blank.getMessage().contains("AEVLP_TOKEN"), blank.getMessage());
    assertEquals(Optional.empty(), options.security(Map.of()).token());
  }

  @Test
  void outputFormatIsReadInAnyCaseAndOtherValuesAreRefused() {
    assertEquals(OutputFormat.JSON, parse("-o", "JSON").output());
    assertEquals(OutputFormat.TABLE, parse().output());
    CommandLine.ParameterException e =
        assertThrows(CommandLine.ParameterException.class, () -> parse("--output", "yaml"));
    assertTrue(e.getMessage().contains("must be table or json, got 'yaml'"), e.getMessage());
  }

  @Test
  void unreadableCaFileIsReportedWithItsName() {
    Path notPem = dir.resolve("ca.pem");
    IOException e =
        assertThrows(IOException.class, () -> {
          Files.writeString(notPem, "not a certificate");
          CoordinatorChannels.open("127.0.0.1:1", new GrpcSecurity(Optional.of(TlsFiles.client(notPem)),
              Optional.empty())).shutdownNow();
        });
    assertTrue(e.getMessage().startsWith("--tls-ca " + notPem + ": cannot read a PEM certificate"), e.getMessage());
  }
}
