package org.aevlp.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.common.grpc.TlsFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The gRPC security options every server and client command shares (picocli mixin): TLS files and
 * the bearer token, from {@code --token-file} or the environment variable {@value
 * GrpcSecurity#TOKEN_ENV}.
 */
public final class SecurityOptions {

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain this process's gRPC servers present (with --tls-key); without it they serve plaintext.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM (PKCS#8) private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM CA certificate this process's gRPC clients trust; without it they connect in plaintext.")
  Path tlsCa;

  @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the bearer token (e.g. a mounted secret; surrounding whitespace is ignored)."
      + " Default: the environment variable " + GrpcSecurity.TOKEN_ENV + ". With a token, servers require it on every call"
      + " but health and reflection, and clients send it; with neither, no token is used.")
  Path tokenFile;

  /**
   * The security these options and the process environment give.
   *
   * @throws ParameterException naming the option when a file cannot be used
   */
  public GrpcSecurity security() {
    return security(System.getenv());
  }

  GrpcSecurity security(Map<String, String> env) {
    try {
      return GrpcSecurity.load(TlsFiles.ofNullable(tlsCert, tlsKey, tlsCa), Optional.ofNullable(tokenFile), env);
    } catch (IOException e) {
      throw new ParameterException(mixee.commandLine(), "--token-file: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(mixee.commandLine(), e.getMessage());
    }
  }
}
