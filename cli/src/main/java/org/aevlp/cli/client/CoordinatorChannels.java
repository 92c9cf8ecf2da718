package org.aevlp.cli.client;

import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import org.aevlp.common.grpc.GrpcChannels;
import org.aevlp.common.grpc.GrpcSecurity;

/**
 * Opens the client channel to the coordinator with the process's TLS trust and bearer token
 * ({@link GrpcChannels}), turning a bad CA file or target into a message naming the option.
 */
public final class CoordinatorChannels {

  private CoordinatorChannels() {}

  /**
   * The channel to {@code target} ({@code host:port} or any gRPC target string).
   *
   * @throws IOException when the CA file cannot be read or parsed, or the target is malformed
   */
  public static ManagedChannel open(String target, GrpcSecurity security) throws IOException {
    try {
      return GrpcChannels.open(GrpcChannels.requireTarget("--coordinator", target), security, Metrics.globalRegistry);
    } catch (IllegalArgumentException | IllegalStateException e) {
      if (security.tls().flatMap(t -> t.trustedCa()).isEmpty()) {
        throw new IOException(e.getMessage(), e);
      }
      // The CA file is parsed only when Netty builds its SSL context.
      throw new IOException("--tls-ca " + security.tls().get().trustedCa().get() + ": cannot read a PEM certificate ("
          + e.getMessage() + ")", e);
    }
  }
}
