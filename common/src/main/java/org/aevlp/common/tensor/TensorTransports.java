package org.aevlp.common.tensor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.aevlp.common.grpc.GrpcSecurity;

/** Picks the transport to a coordinator's tensor store. */
public final class TensorTransports {

  private TensorTransports() {}

  /**
   * The local transport when the store with {@code storeId} lives in this JVM (unless {@code
   * forceGrpc}, which tests and benchmarks use to exercise the network path), else gRPC to {@code
   * host:port}.
   */
  public static TensorTransport connect(String host, int port, String storeId, boolean forceGrpc) {
    return connect(host, port, storeId, forceGrpc, GrpcSecurity.none(), Metrics.globalRegistry);
  }

  /**
   * As {@link #connect(String, int, String, boolean)}; a gRPC channel uses {@code security} and is
   * metered on {@code registry}.
   */
  public static TensorTransport connect(String host, int port, String storeId, boolean forceGrpc,
      GrpcSecurity security, MeterRegistry registry) {
    if (!forceGrpc) {
      var local = TensorStore.findLocal(storeId);
      if (local.isPresent()) {
        return new LocalTensorTransport(local.get());
      }
    }
    return new GrpcTensorTransport(host, port, security, registry);
  }
}
