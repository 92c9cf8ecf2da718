package org.aevlp.common.tensor;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Serves a {@link TensorStore} over gRPC (the coordinator's data plane endpoint). */
public final class TensorChannelServer implements AutoCloseable {

  private final Server server;
  private final String host;

  private TensorChannelServer(Server server, String host) {
    this.server = server;
    this.host = host;
  }

  /**
   * Starts serving on {@code host:port} (port 0: a free one).
   *
   * @throws IOException naming the address when the port cannot be bound
   */
  public static TensorChannelServer start(TensorStore store, String host, int port) throws IOException {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .addService(new TensorChannelService(store))
        .maxInboundMessageSize(FloatChunks.MAX_CHUNK_BYTES + 64 * 1024)
        .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new IOException("tensor channel: cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    return new TensorChannelServer(server, host);
  }

  /** The port actually bound. */
  public int port() {
    return server.getPort();
  }

  /** The host it listens on. */
  public String host() {
    return host;
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
