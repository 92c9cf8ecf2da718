package org.aevlp.common.tensor;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The coordinator's buffers, by key: what workers push (gradients, replica states) and what they
 * pull (reduced gradients, averages, checkpoints). A reader may ask for a key before it is
 * published and wait for it.
 *
 * <p>Every store registers itself under a random id for its lifetime, so that a worker told that
 * id finds the store if it lives in the same JVM and uses {@link LocalTensorTransport} instead of
 * gRPC. Thread-safe.
 */
public final class TensorStore implements AutoCloseable {

  private static final Map<String, TensorStore> LOCAL_STORES = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final ConcurrentHashMap<String, CompletableFuture<float[]>> entries = new ConcurrentHashMap<>();

  private TensorStore() {}

  /** A new, empty store, registered in this JVM until closed. */
  public static TensorStore open() {
    TensorStore store = new TensorStore();
    LOCAL_STORES.put(store.id, store);
    return store;
  }

  /** The open store with this id if it lives in this JVM. */
  public static Optional<TensorStore> findLocal(String id) {
    return Optional.ofNullable(LOCAL_STORES.get(id));
  }

  /** This store's id (unique across JVMs). */
  public String id() {
    return id;
  }

  /** Stores {@code values} under {@code key} (not copied), replacing an earlier buffer. */
  public void put(String key, float[] values) {
    CompletableFuture<float[]> entry = entries.computeIfAbsent(key, k -> new CompletableFuture<>());
    if (!entry.complete(values)) {
      entry.obtrudeValue(values);
    }
  }

  /** The buffer under {@code key} if it is published. */
  public Optional<float[]> peek(String key) {
    CompletableFuture<float[]> entry = entries.get(key);
    return entry != null && entry.isDone() ? Optional.of(entry.join()) : Optional.empty();
  }

  /** Completes with the buffer once {@code key} is published. */
  public CompletableFuture<float[]> whenPublished(String key) {
    return entries.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  /**
   * The buffer under {@code key}, waiting up to {@code wait}.
   *
   * @throws TimeoutException naming the key when it was not published in time
   */
  public float[] get(String key, Duration wait) throws TimeoutException, InterruptedException {
    try {
      return whenPublished(key).get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException("tensor '" + key + "' was not published within " + wait.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new IllegalStateException("tensor '" + key + "' failed", e.getCause());
    }
  }

  /** Forgets {@code key}. */
  public void remove(String key) {
    entries.remove(key);
  }

  /** Forgets every key starting with {@code prefix}; returns how many. */
  public int removePrefix(String prefix) {
    int before = entries.size();
    entries.keySet().removeIf(key -> key.startsWith(prefix));
    return before - entries.size();
  }

  /** Number of published buffers. */
  public int size() {
    return (int) entries.values().stream().filter(CompletableFuture::isDone).count();
  }

  /** Floats held by published buffers. */
  public long floatsHeld() {
    return entries.values().stream().filter(CompletableFuture::isDone).mapToLong(f -> f.join().length).sum();
  }

  @Override
  public void close() {
    LOCAL_STORES.remove(id, this);
    entries.clear();
  }
}
