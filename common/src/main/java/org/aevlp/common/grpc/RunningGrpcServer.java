package org.aevlp.common.grpc;

import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server started by {@link GrpcServerAssembly}, with its health status. {@link
 * #shutdown(Duration)} stops it gracefully; {@link #close()} at once.
 */
public final class RunningGrpcServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RunningGrpcServer.class);

  /** How long cancelled calls get to end after a forced shutdown. */
  private static final long CANCEL_WAIT_SECONDS = 5;

  private final Server server;
  private final HealthStatusManager health;
  private final int port;
  private boolean stopped;

  RunningGrpcServer(Server server, HealthStatusManager health) {
    this.server = server;
    this.health = health;
    this.port = server.getPort();
  }

  /** The port the server listens on (the chosen one when 0 was asked for). */
  public int port() {
    return port;
  }

  /** The underlying server. */
  public Server server() {
    return server;
  }

  /** Blocks until the server has terminated. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Health turns NOT_SERVING, new calls are refused, calls in flight get {@code grace} to finish,
   * then the rest are cancelled. Idempotent; a second caller waits for the first.
   *
   * @return whether every call finished within {@code grace}
   */
  public synchronized boolean shutdown(Duration grace) {
    if (stopped) {
      return true;
    }
    stopped = true;
    health.enterTerminalState();
    server.shutdown();
    try {
      if (server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      if (!grace.isZero()) {
        LOG.warn("gRPC calls still running on port {} after {}; cancelling them", port, grace);
      }
      server.shutdownNow();
      server.awaitTermination(CANCEL_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Stops at once, cancelling the calls in flight. */
  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }
}
