package org.aevlp.cli.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * Options every client command shares (a picocli mixin): where the coordinator is, how to trust
 * it and prove who we are, and the output format.
 */
public final class ClientOptions {

  /** Environment variable holding the bearer token when no --token-file is given. */
  public static final String TOKEN_ENV = "AEVLP_TOKEN";

  @Option(
      names = "--coordinator",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:AEVLP_COORDINATOR:-127.0.0.1:50051}",
      description = "Coordinator's gRPC address (default: env AEVLP_COORDINATOR, else 127.0.0.1:50051; now ${DEFAULT-VALUE}).")
  String coordinator;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description = "CA certificate (PEM) to trust; connects with TLS. Without it: plaintext.")
  Path tlsCa;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "File holding the bearer token (default: env " + TOKEN_ENV + "; none: no token).")
  Path tokenFile;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      converter = OutputFormat.Converter.class,
      description = "table (for people) or json (one JSON object per line, proto field names); default: ${DEFAULT-VALUE}.")
  OutputFormat output = OutputFormat.TABLE;

  public String coordinator() {
    return coordinator;
  }

  public Optional<Path> tlsCa() {
    return Optional.ofNullable(tlsCa);
  }

  public OutputFormat output() {
    return output;
  }

  /**
   * The bearer token: the trimmed content of --token-file, else the environment variable
   * {@value #TOKEN_ENV}; empty when neither gives a non-blank value.
   *
   * @param env reads an environment variable (null when unset)
   * @throws IOException when the token file cannot be read (the message names it)
   */
  public Optional<String> token(UnaryOperator<String> env) throws IOException {
    String raw;
    if (tokenFile != null) {
      try {
        raw = Files.readString(tokenFile, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IOException("--token-file " + tokenFile + ": cannot read it (" + e.getMessage() + ")", e);
      }
    } else {
      raw = env.apply(TOKEN_ENV);
    }
    return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.strip());
  }
}
