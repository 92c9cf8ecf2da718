package org.aevlp.common.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingClientInterceptor;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way this project opens a gRPC channel: TLS with the trusted CA when the security has
 * one (plaintext otherwise), the bearer token as call credentials, round-robin over every address
 * the target resolves to (all pods behind a headless Service), and Micrometer's gRPC client meters
 * ({@code grpc.client.processing.duration}, {@code grpc.client.requests.sent}, {@code
 * grpc.client.responses.received}).
 */
public final class GrpcChannels {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcChannels.class);

  private GrpcChannels() {}

  /**
   * Opens a channel (it connects lazily, on the first call).
   *
   * @param target {@code host:port} or a gRPC target such as {@code dns:///name:port}; see {@link
   *     #requireTarget}
   * @throws IllegalArgumentException naming the CA file when it cannot be read
   */
  public static ManagedChannel open(String target, GrpcSecurity security, MeterRegistry registry) {
    ChannelCredentials transport = security.trustedCa().isPresent()
        ? tls(security.trustedCa().get())
        : InsecureChannelCredentials.create();
    ChannelCredentials credentials = security.token().isPresent()
        ? CompositeChannelCredentials.create(transport, new BearerTokenCredentials(security.token().get()))
        : transport;
    if (security.token().isPresent() && security.trustedCa().isEmpty()) {
      LOG.debug("sending the bearer token to {} without TLS (no trusted CA configured)", target);
    }
    return NettyChannelBuilder.forTarget(target, credentials)
        .defaultLoadBalancingPolicy("round_robin")
        .maxInboundMessageSize(GrpcServerAssembly.MAX_INBOUND_MESSAGE_BYTES)
        .intercept(new MetricCollectingClientInterceptor(registry))
        .build();
  }

  /** {@code host:port}, with an IPv6 literal in brackets. */
  public static String target(String host, int port) {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Checks that {@code target} is {@code host:port} (port 1..65535) or a gRPC target URI ({@code
   * scheme:///...}, e.g. {@code dns:///aevlp-labeler:50061}) and returns it.
   *
   * @param what the option or field it came from, for the error
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static String requireTarget(String what, String target) {
    String trimmed = target == null ? "" : target.strip();
    if (trimmed.matches("[A-Za-z][A-Za-z0-9+.-]*://.*[^/\\s].*")) {
      return trimmed;
    }
    int colon = trimmed.lastIndexOf(':');
    if (colon > 0) {
      try {
        int port = Integer.parseInt(trimmed.substring(colon + 1));
        if (port >= 1 && port <= 65_535) {
          return trimmed;
        }
      } catch (NumberFormatException e) {
        // reported below with the accepted forms
      }
    }
    throw new IllegalArgumentException(what + ": expected host:port or a gRPC target such as dns:///host:port, got '"
        + target + "'");
  }

  private static ChannelCredentials tls(Path trustedCa) {
    try {
      return TlsChannelCredentials.newBuilder().trustManager(trustedCa.toFile()).build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("TLS CA file " + trustedCa + " cannot be used: " + e.getMessage(), e);
    }
  }
}
