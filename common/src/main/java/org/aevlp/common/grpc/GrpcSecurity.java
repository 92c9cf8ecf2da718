package org.aevlp.common.grpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS files and the bearer token a process uses on gRPC; {@link #none()} for plain loopback.
 * Servers require the token on every call but health and reflection; clients send it as {@code
 * authorization: Bearer <token>}. {@link #toString()} never shows the token.
 *
 * @param tls certificate chain and key (servers) and trusted CA (clients), when TLS is on
 * @param token the shared bearer token, when calls are authenticated
 */
public record GrpcSecurity(Optional<TlsFiles> tls, Optional<String> token) {

  /** Environment variable holding the token when no token file is given. */
  public static final String TOKEN_ENV = "AEVLP_TOKEN";

  public GrpcSecurity {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(token, "token");
    token.ifPresent(t -> requireHeaderSafe(t, "bearer token"));
  }

  /** Plaintext, no token. */
  public static GrpcSecurity none() {
    return new GrpcSecurity(Optional.empty(), Optional.empty());
  }

  /**
   * The security of a process from its options: the token is read from {@code tokenFile} when
   * given, else from {@value #TOKEN_ENV} in {@code env}; neither means no token.
   *
   * @throws IOException naming the token file when it cannot be read or holds no token
   * @throws IllegalArgumentException when {@value #TOKEN_ENV} is set but blank or not a valid token
   */
  public static GrpcSecurity load(Optional<TlsFiles> tls, Optional<Path> tokenFile, Map<String, String> env)
      throws IOException {
    if (tokenFile.isPresent()) {
      return new GrpcSecurity(tls, Optional.of(readToken(tokenFile.get())));
    }
    String fromEnv = env.get(TOKEN_ENV);
    if (fromEnv == null) {
      return new GrpcSecurity(tls, Optional.empty());
    }
    String token = fromEnv.strip();
    if (token.isEmpty()) {
      throw new IllegalArgumentException(TOKEN_ENV + " is set but blank: unset it or give the token");
    }
    requireHeaderSafe(token, TOKEN_ENV);
    return new GrpcSecurity(tls, Optional.of(token));
  }

  /**
   * The token in {@code file} (e.g. a mounted Kubernetes secret), without surrounding whitespace.
   *
   * @throws IOException naming the file when it cannot be read, is empty, or holds more than a token
   */
  public static String readToken(Path file) throws IOException {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IOException("token file " + file + " cannot be read: " + e.getMessage(), e);
    }
    if (token.isEmpty()) {
      throw new IOException("token file " + file + " is empty: it must hold the bearer token");
    }
    try {
      requireHeaderSafe(token, "token file " + file);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    return token;
  }

  /** This security with {@code newToken} as the bearer token. */
  public GrpcSecurity withToken(String newToken) {
    return new GrpcSecurity(tls, Optional.of(newToken));
  }

  /** This security with {@code newTls} as its TLS files. */
  public GrpcSecurity withTls(TlsFiles newTls) {
    return new GrpcSecurity(Optional.of(newTls), token);
  }

  /** The server's certificate chain and key, when this process serves TLS. */
  Optional<TlsFiles> serverTls() {
    return tls.filter(files -> files.certChain().isPresent());
  }

  /** The CA clients verify servers against, when this process connects with TLS. */
  Optional<Path> trustedCa() {
    return tls.flatMap(TlsFiles::trustedCa);
  }

  /** Shows the TLS files and whether a token is set, never the token. */
  @Override
  public String toString() {
    return "GrpcSecurity[tls=" + tls.map(TlsFiles::toString).orElse("off")
        + ", token=" + (token.isPresent() ? "set" : "none") + "]";
  }

  /** A token travels in an HTTP/2 header: visible ASCII only (no spaces, no line breaks). */
  private static void requireHeaderSafe(String token, String source) {
    if (token.isEmpty()) {
      throw new IllegalArgumentException(source + ": the token is empty");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        // the position only: the token itself must not reach a message or a log
        throw new IllegalArgumentException(source + ": the token may hold visible ASCII characters only;"
            + " character " + (i + 1) + " is not one");
      }
    }
  }
}
