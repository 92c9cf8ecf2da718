package org.aevlp.common.grpc;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * PEM files for TLS on gRPC. A server presents {@code certChain} with {@code privateKey}; a client
 * trusts the servers whose certificate {@code trustedCa} signed. A process that is both (an
 * embedded cluster, a coordinator whose workers share its JVM) carries all three.
 *
 * @param certChain the server's certificate chain (PEM), given together with {@code privateKey}
 * @param privateKey the server's private key (PKCS#8 PEM)
 * @param trustedCa the certificate authority (PEM) clients verify servers against
 */
public record TlsFiles(Optional<Path> certChain, Optional<Path> privateKey, Optional<Path> trustedCa) {

  public TlsFiles {
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(trustedCa, "trustedCa");
    if (certChain.isPresent() != privateKey.isPresent()) {
      throw new IllegalArgumentException("TLS: a certificate chain and a private key go together (--tls-cert with"
          + " --tls-key); got only the " + (certChain.isPresent() ? "certificate" : "key"));
    }
    if (certChain.isEmpty() && trustedCa.isEmpty()) {
      throw new IllegalArgumentException("TLS: give a certificate chain and key, a trusted CA, or both");
    }
  }

  /** A server's certificate chain and key. */
  public static TlsFiles server(Path certChain, Path privateKey) {
    return new TlsFiles(Optional.of(certChain), Optional.of(privateKey), Optional.empty());
  }

  /** A client's trusted CA. */
  public static TlsFiles client(Path trustedCa) {
    return new TlsFiles(Optional.empty(), Optional.empty(), Optional.of(trustedCa));
  }

  /** The files given (each may be null); empty when none is. */
  public static Optional<TlsFiles> ofNullable(Path certChain, Path privateKey, Path trustedCa) {
    if (certChain == null && privateKey == null && trustedCa == null) {
      return Optional.empty();
    }
    return Optional.of(new TlsFiles(Optional.ofNullable(certChain), Optional.ofNullable(privateKey),
        Optional.ofNullable(trustedCa)));
  }
}
