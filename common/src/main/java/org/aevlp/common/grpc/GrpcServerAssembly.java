package org.aevlp.common.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way this project starts a gRPC server: Netty on {@code host:port} with the given
 * services, plus
 *
 * <ul>
 *   <li>health ({@code grpc.health.v1.Health}): SERVING for {@code ""} and each service's name,
 *   <li>reflection ({@code grpc.reflection.v1.ServerReflection}),
 *   <li>the bearer-token check when {@link GrpcSecurity#token()} is set (health and reflection
 *       stay open),
 *   <li>TLS when the security has a certificate chain and key,
 *   <li>INVALID_ARGUMENT for request bytes that do not parse ({@link UnparseableRequests}),
 *   <li>status descriptions bounded to fit a client's trailers ({@link StatusDescriptionLimit}),
 *   <li>Micrometer's gRPC server meters ({@code grpc.server.processing.duration}, {@code
 *       grpc.server.requests.received}, {@code grpc.server.responses.sent}) on {@code registry}.
 * </ul>
 */
public final class GrpcServerAssembly {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcServerAssembly.class);

  /**
   * Largest message accepted, gRPC's default: above a tensor chunk ({@code FloatChunks}, 1 MiB and
   * its key) and a full labeler request.
   */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 4 << 20;

  private GrpcServerAssembly() {}

  /**
   * Starts the server.
   *
   * @param host address to listen on; blank for all interfaces
   * @param port port, 0 for any free one
   * @throws IOException when the port is taken ("port N on HOST is already in use"), the address
   *     cannot be bound, or the TLS files cannot be read
   */
  public static RunningGrpcServer start(String host, int port, GrpcSecurity security, MeterRegistry registry,
      List<BindableService> services) throws IOException {
    String shownHost = host == null || host.isBlank() ? "all interfaces" : host;
    InetSocketAddress address = host == null || host.isBlank()
        ? new InetSocketAddress(port)
        : new InetSocketAddress(host, port);
    NettyServerBuilder builder = security.serverTls().isPresent()
        ? NettyServerBuilder.forAddress(address, credentials(security.serverTls().get()))
        : NettyServerBuilder.forAddress(address);
    builder.maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES);

    HealthStatusManager health = new HealthStatusManager();
    MetricCollectingServerInterceptor metrics = new MetricCollectingServerInterceptor(registry);
    List<String> names = new ArrayList<>();
    for (BindableService service : services) {
      ServerServiceDefinition definition = UnparseableRequests.guard(service.bindService());
      builder.addService(definition);
      // meters exist from the start, so dashboards show zeros rather than gaps
      metrics.preregisterService(definition);
      names.add(definition.getServiceDescriptor().getName());
    }
    builder.addService(health.getHealthService());
    builder.addService(ProtoReflectionServiceV1.newInstance());
    // interceptors run in reverse order of addition: metrics first, so rejected calls are counted
    builder.intercept(new StatusDescriptionLimit());
    security.token().ifPresent(token -> builder.intercept(new BearerTokenInterceptor(token)));
    builder.intercept(metrics);

    Server server = builder.build();
    try {
      server.start();
    } catch (IOException e) {
      if (causedByBusyPort(e)) {
        throw new IOException("port " + port + " on " + shownHost + " is already in use", e);
      }
      throw new IOException("cannot listen on " + shownHost + " port " + port + ": " + rootMessage(e), e);
    }
    health.setStatus("", ServingStatus.SERVING);
    for (String name : names) {
      health.setStatus(name, ServingStatus.SERVING);
    }
    LOG.info("gRPC server on {} port {}: {} (TLS {}, bearer token {})", shownHost, server.getPort(), names,
        security.serverTls().isPresent() ? "on" : "off", security.token().isPresent() ? "required" : "not required");
    return new RunningGrpcServer(server, health);
  }

  private static ServerCredentials credentials(TlsFiles files) throws IOException {
    Path certChain = files.certChain().orElseThrow();
    Path privateKey = files.privateKey().orElseThrow();
    try {
      return TlsServerCredentials.create(certChain.toFile(), privateKey.toFile());
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("TLS certificate chain " + certChain + " or private key " + privateKey
          + " cannot be used: " + rootMessage(e), e);
    }
  }

  /** Netty reports a taken port as a BindException or as a native error saying so, wrapped. */
  private static boolean causedByBusyPort(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }
}
