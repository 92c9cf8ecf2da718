package org.aevlp.cli.client;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens the client channel to the coordinator: TLS trusting {@code tlsCa} when given (plaintext
 * otherwise) and the bearer token, when there is one, on every call.
 */
public final class CoordinatorChannels {

  private CoordinatorChannels() {}

  /**
   * The channel to {@code target} ({@code host:port} or any gRPC target string).
   *
   * @throws IOException when the CA file cannot be read or parsed, or the target is malformed
   */
  public static ManagedChannel open(String target, Optional<Path> tlsCa, Optional<String> token) throws IOException {
    try {
      ChannelCredentials transport =
          tlsCa.isPresent()
              ? TlsChannelCredentials.newBuilder().trustManager(tlsCa.get().toFile()).build()
              : InsecureChannelCredentials.create();
      ChannelCredentials credentials =
          token.<ChannelCredentials>map(t -> CompositeChannelCredentials.create(transport, new BearerTokenCredentials(t)))
              .orElse(transport);
      return NettyChannelBuilder.forTarget(target, credentials).build();
    } catch (IOException | IllegalArgumentException e) {
      if (tlsCa.isEmpty()) {
        throw new IOException("--coordinator " + target + ": " + e.getMessage(), e);
      }
      // The CA file is read by trustManager and parsed only when Netty builds its SSL context.
      throw new IOException("--tls-ca " + tlsCa.get() + ": cannot read a PEM certificate (" + e.getMessage() + ")", e);
    }
  }
}
