package org.aevlp.common.tensor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.util.List;
import org.aevlp.common.grpc.GrpcSecurity;
import org.aevlp.common.grpc.GrpcServerAssembly;
import org.aevlp.common.grpc.RunningGrpcServer;

/** Serves a {@link TensorStore} over gRPC (the coordinator's data plane endpoint). */
public final class TensorChannelServer implements AutoCloseable {

  private final RunningGrpcServer server;
  private final String host;

  private TensorChannelServer(RunningGrpcServer server, String host) {
    this.server = server;
    this.host = host;
  }

  /** Starts serving on {@code host:port} in plaintext without a token, metered on the global registry. */
  public static TensorChannelServer start(TensorStore store, String host, int port) throws IOException {
    return start(store, host, port, GrpcSecurity.none(), Metrics.globalRegistry);
  }

  /**
   * Starts serving on {@code host:port} (port 0: a free one) through {@link GrpcServerAssembly}.
   *
   * @throws IOException naming the port and host when the port cannot be bound
   */
  public static TensorChannelServer start(TensorStore store, String host, int port, GrpcSecurity security,
      MeterRegistry registry) throws IOException {
    try {
      return new TensorChannelServer(
          GrpcServerAssembly.start(host, port, security, registry, List.of(new TensorChannelService(store))), host);
    } catch (IOException e) {
      throw new IOException("tensor channel: " + e.getMessage(), e);
    }
  }

  /** The port actually bound. */
  public int port() {
    return server.port();
  }

  /** The host it listens on. */
  public String host() {
    return host;
  }

  @Override
  public void close() {
    server.close();
  }
}
