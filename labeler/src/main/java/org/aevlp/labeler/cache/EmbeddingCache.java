package org.aevlp.labeler.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * View embeddings kept between requests (DESIGN.md §6): the scorer is frozen and the flip of a
 * view is one of two draws, so after the first epoch a sample's views are usually all here and
 * DAMP costs one matrix product per image.
 *
 * <p>Bounded by bytes: an entry costs {@code 4·D} bytes of floats plus {@value #ENTRY_OVERHEAD_BYTES}
 * bytes for its key and map entry (an estimate of the JVM's object overhead). When an insertion
 * passes the bound, least recently used entries (by {@link #get} or {@link #put}) are evicted until
 * it fits; an embedding larger than the whole bound is not stored. Counts hits, misses and
 * evictions for metrics. Thread-safe (one lock; every operation is a map access).
 *
 * <p>Stored arrays are copies; arrays returned by {@link #get} are the stored ones and must not be
 * modified.
 */
public final class EmbeddingCache {

  /** Estimated bytes of a key, its strings' share and a map entry, added to each embedding. */
  public static final long ENTRY_OVERHEAD_BYTES = 96;

  private final long maxBytes;
  private final LinkedHashMap<ViewKey, float[]> entries = new LinkedHashMap<>(1024, 0.75f, true);
  private long bytes;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();

  /** A cache of at most {@code maxBytes} bytes; 0 disables caching (every lookup misses). */
  public EmbeddingCache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** Bytes an embedding of {@code dimension} floats is charged. */
  public static long entryBytes(int dimension) {
    return ENTRY_OVERHEAD_BYTES + 4L * dimension;
  }

  /** The embedding of {@code key}, or null; counts a hit or a miss and marks the entry used. */
  public float[] get(ViewKey key) {
    float[] embedding;
    synchronized (entries) {
      embedding = entries.get(key);
    }
    (embedding == null ? misses : hits).incrementAndGet();
    return embedding;
  }

  /** Whether {@code key} is stored; counts nothing and does not change the eviction order. */
  public boolean contains(ViewKey key) {
    synchronized (entries) {
      return entries.containsKey(key);
    }
  }

  /** Stores a copy of {@code embedding} under {@code key}, evicting least recently used entries. */
  public void put(ViewKey key, float[] embedding) {
    long cost = entryBytes(embedding.length);
    if (cost > maxBytes) {
      return;
    }
    float[] copy = embedding.clone();
    synchronized (entries) {
      float[] previous = entries.put(key, copy);
      bytes += cost - (previous == null ? 0 : entryBytes(previous.length));
      var eldest = entries.entrySet().iterator();
      while (bytes > maxBytes && eldest.hasNext()) {
        Map.Entry<ViewKey, float[]> victim = eldest.next();
        bytes -= entryBytes(victim.getValue().length);
        eldest.remove();
        evictions.incrementAndGet();
      }
    }
  }

  /** Removes every entry (counters are kept). */
  public void clear() {
    synchronized (entries) {
      entries.clear();
      bytes = 0;
    }
  }

  /** Entries stored. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /** Bytes charged for the stored entries, at most {@link #maxBytes()}. */
  public long bytes() {
    synchronized (entries) {
      return bytes;
    }
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Lookups that found their key. */
  public long hits() {
    return hits.get();
  }

  /** Lookups that did not. */
  public long misses() {
    return misses.get();
  }

  /** Entries evicted to stay within the bound. */
  public long evictions() {
    return evictions.get();
  }
}
