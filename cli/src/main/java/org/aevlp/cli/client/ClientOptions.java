package org.aevlp.cli.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.common.grpc.TlsFiles;
import picocli.CommandLine.Option;

/**
 * Options every client command shares (a picocli mixin): where the coordinator is, how to trust
 * it and prove who we are, and the output format.
 */
public final class ClientOptions {

  /** Environment variable holding the bearer token when no --token-file is given. */
  public static final String TOKEN_ENV = GrpcSecurity.TOKEN_ENV;

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
   * TLS and token of the connection: the CA of --tls-ca, the token of --token-file or else of the
   * environment variable {@value #TOKEN_ENV}.
   *
   * @param env the environment ({@code System.getenv()})
   * @throws IOException when the token file cannot be read (the message names it)
   * @throws IllegalArgumentException when {@value #TOKEN_ENV} is set but blank
   */
  public GrpcSecurity security(Map<String, String> env) throws IOException {
    return GrpcSecurity.load(tlsCa().map(TlsFiles::client), Optional.ofNullable(tokenFile), env);
  }
}
