package org.aevlp.common.tensor;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Same-JVM transport: publishes and fetches the very arrays, without copying or serializing. */
public final class LocalTensorTransport implements TensorTransport {

  private final TensorStore store;

  public LocalTensorTransport(TensorStore store) {
    this.store = store;
  }

  @Override
  public void publish(String key, float[] values) {
    store.put(key, values);
  }

  @Override
  public float[] fetch(String key, Duration wait) throws TensorTransferException {
    try {
      return store.get(key, wait);
    } catch (TimeoutException e) {
      throw new TensorTransferException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TensorTransferException("interrupted while waiting for tensor '" + key + "'", e);
    }
  }

  @Override
  public boolean isLocal() {
    return true;
  }

  @Override
  public void close() {
    // the store belongs to its creator
  }
}
