package org.aevlp.common.tensor;

/** Picks the transport to a coordinator's tensor store. */
public final class TensorTransports {

  private TensorTransports() {}

  /**
   * The local transport when the store with {@code storeId} lives in this JVM (unless {@code
   * forceGrpc}, which tests and benchmarks use to exercise the network path), else gRPC to {@code
   * host:port}.
   */
  public static TensorTransport connect(String host, int port, String storeId, boolean forceGrpc) {
    if (!forceGrpc) {
      var local = TensorStore.findLocal(storeId);
      if (local.isPresent()) {
        return new LocalTensorTransport(local.get());
      }
    }
    return new GrpcTensorTransport(host, port);
  }
}
