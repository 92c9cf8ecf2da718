package org.aevlp.common.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrpcSecurityTest {

  private static final String TOKEN = "tok-9f8e7d6c5b4a";

  @TempDir Path dir;

  @Test
  void tokenFileIsReadTrimmedAndWinsOverTheEnvironment() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "  " + TOKEN + "\n");
    GrpcSecurity security = GrpcSecurity.load(Optional.empty(), Optional.of(file),
        Map.of(GrpcSecurity.TOKEN_ENV, "from-env"));
    assertEquals(Optional.of(TOKEN), security.token());
  }

  @Test
  void environmentGivesTheTokenWhenNoFileIs() throws IOException {
    assertEquals(Optional.of(TOKEN),
        GrpcSecurity.load(Optional.empty(), Optional.empty(), Map.of(GrpcSecurity.TOKEN_ENV, TOKEN + " ")).token());
    assertEquals(Optional.empty(), GrpcSecurity.load(Optional.empty(), Optional.empty(), Map.of()).token());
  }

  @Test
  void emptyOrMissingTokenFileIsAnErrorNamingTheFile() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty-token"), " \n");
    IOException e = assertThrows(IOException.class,
        () -> GrpcSecurity.load(Optional.empty(), Optional.of(empty), Map.of()));
    assertEquals("token file " + empty + " is empty: it must hold the bearer token", e.getMessage());

    Path missing = dir.resolve("no-such-token");
    IOException unreadable = assertThrows(IOException.class, () -> GrpcSecurity.readToken(missing));
    assertTrue(unreadable.getMessage().startsWith("token file " + missing + " cannot be read"), unreadable.getMessage());
  }

  @Test
  void blankEnvironmentTokenIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GrpcSecurity.load(Optional.empty(), Optional.empty(), Map.of(GrpcSecurity.TOKEN_ENV, "  ")));
    assertTrue(e.getMessage().startsWith("AEVLP_TOKEN is set but blank"), e.getMessage());
  }

  @Test
  void tokenWithInnerWhitespaceIsRejectedWithoutShowingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("two-lines"), "first-half\nsecond-half\n");
    IOException e = assertThrows(IOException.class, () -> GrpcSecurity.readToken(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("character 11"), e.getMessage());
    assertFalse(e.getMessage().contains("first-half") || e.getMessage().contains("second-half"), e.getMessage());
  }

  @Test
  void toStringNeverShowsTheToken() {
    GrpcSecurity security = GrpcSecurity.none().withToken(TOKEN)
        .withTls(TlsFiles.server(Path.of("/tls/tls.crt"), Path.of("/tls/tls.key")));
    String shown = security.toString();
    assertFalse(shown.contains(TOKEN), shown);
    assertTrue(shown.contains("token=set") && shown.contains("/tls/tls.crt"), shown);
    assertEquals("GrpcSecurity[tls=off, token=none]", GrpcSecurity.none().toString());
  }

  @Test
  void certificateAndKeyGoTogether() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsFiles.ofNullable(Path.of("tls.crt"), null, Path.of("ca.crt")));
    assertTrue(e.getMessage().contains("--tls-cert with --tls-key"), e.getMessage());
    assertEquals(Optional.empty(), TlsFiles.ofNullable(null, null, null));
  }

  @Test
  void targetsAreHostPortOrGrpcUris() {
    assertEquals("labeler-0:50061", GrpcChannels.requireTarget("--labeler", " labeler-0:50061 "));
    assertEquals("dns:///aevlp-labeler:50061", GrpcChannels.requireTarget("--labeler", "dns:///aevlp-labeler:50061"));
    assertEquals("[::1]:7070", GrpcChannels.target("::1", 7070));
    for (String bad : new String[] {"labeler", "labeler:http", "labeler:0", ":50061", "dns:///"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GrpcChannels.requireTarget("--labeler", bad), bad);
      assertTrue(e.getMessage().startsWith("--labeler: expected host:port or a gRPC target"), e.getMessage());
    }
  }
}
