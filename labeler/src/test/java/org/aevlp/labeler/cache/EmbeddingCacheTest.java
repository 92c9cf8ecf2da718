package org.aevlp.labeler.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EmbeddingCacheTest {

  private static final int DIM = 8;
  private static final long ENTRY = EmbeddingCache.entryBytes(DIM);

  private static ViewKey key(int sample) {
    return ViewKey.of("synthetic", sample, 2, 1, false);
  }

  private static float[] embedding(float value) {
    float[] e = new float[DIM];
    Arrays.fill(e, value);
    return e;
  }

  @Test
  void entryCostIsFloatsPlusOverhead() {
    assertEquals(EmbeddingCache.ENTRY_OVERHEAD_BYTES + 32, ENTRY);
  }

  @Test
  void countsHitsAndMisses() {
    EmbeddingCache cache = new EmbeddingCache(10 * ENTRY);
    assertNull(cache.get(key(1)));
    cache.put(key(1), embedding(1));
    assertArrayEquals(embedding(1), cache.get(key(1)));
    assertArrayEquals(embedding(1), cache.get(key(1)));
    assertNull(cache.get(key(2)));
    assertEquals(2, cache.hits());
    assertEquals(2, cache.misses());
  }

  @Test
  void containsCountsNothing() {
    EmbeddingCache cache = new EmbeddingCache(10 * ENTRY);
    cache.put(key(1), embedding(1));
    assertTrue(cache.contains(key(1)));
    assertFalse(cache.contains(key(2)));
    assertEquals(0, cache.hits() + cache.misses());
  }

  @Test
  void keysDifferByFlipViewAndGrid() {
    EmbeddingCache cache = new EmbeddingCache(10 * ENTRY);
    cache.put(ViewKey.of("synthetic", 3, 2, 1, false), embedding(1));
    assertNull(cache.get(ViewKey.of("synthetic", 3, 2, 1, true)));
    assertNull(cache.get(ViewKey.of("synthetic", 3, 2, 2, false)));
    assertNull(cache.get(ViewKey.of("synthetic", 3, 4, 1, false)));
    assertNull(cache.get(ViewKey.of("pascal", 3, 2, 1, false)));
  }

  @Test
  void globalViewIsSharedAcrossGridSizes() {
    EmbeddingCache cache = new EmbeddingCache(10 * ENTRY);
    cache.put(ViewKey.of("synthetic", 3, 2, 0, true), embedding(1));
    assertArrayEquals(embedding(1), cache.get(ViewKey.of("synthetic", 3, 4, 0, true)));
  }

  @Test
  void evictsLeastRecentlyUsedToStayWithinBytes() {
    EmbeddingCache cache = new EmbeddingCache(3 * ENTRY);
    cache.put(key(1), embedding(1));
    cache.put(key(2), embedding(2));
    cache.put(key(3), embedding(3));
    cache.get(key(1)); // 2 is now the least recently used
    cache.put(key(4), embedding(4));

    assertEquals(3, cache.size());
    assertEquals(3 * ENTRY, cache.bytes());
    assertFalse(cache.contains(key(2)));
    assertTrue(cache.contains(key(1)));
    assertTrue(cache.contains(key(3)));
    assertTrue(cache.contains(key(4)));
    assertEquals(1, cache.evictions());
  }

  @Test
  void boundIsInBytesNotEntries() {
    EmbeddingCache cache = new EmbeddingCache(3 * ENTRY);
    // One wide embedding costs as much as about three narrow ones.
    int wide = (int) ((3 * ENTRY - EmbeddingCache.ENTRY_OVERHEAD_BYTES) / 4);
    cache.put(key(1), embedding(1));
    cache.put(key(2), new float[wide]);
    assertEquals(1, cache.size());
    assertTrue(cache.contains(key(2)));
    assertTrue(cache.bytes() <= cache.maxBytes());
  }

  @Test
  void replacingAnEntryKeepsTheByteCountRight() {
    EmbeddingCache cache = new EmbeddingCache(3 * ENTRY);
    cache.put(key(1), embedding(1));
    cache.put(key(1), embedding(5));
    assertEquals(ENTRY, cache.bytes());
    assertArrayEquals(embedding(5), cache.get(key(1)));
  }

  @Test
  void embeddingLargerThanTheBoundIsNotStored() {
    EmbeddingCache cache = new EmbeddingCache(ENTRY - 1);
    cache.put(key(1), embedding(1));
    assertEquals(0, cache.size());
    assertNull(cache.get(key(1)));
  }

  @Test
  void storesACopy() {
    EmbeddingCache cache = new EmbeddingCache(3 * ENTRY);
    float[] e = embedding(1);
    cache.put(key(1), e);
    e[0] = 42;
    assertEquals(1f, cache.get(key(1))[0]);
  }

  @Test
  void clearEmptiesButKeepsCounters() {
    EmbeddingCache cache = new EmbeddingCache(3 * ENTRY);
    cache.put(key(1), embedding(1));
    cache.get(key(1));
    cache.clear();
    assertEquals(0, cache.size());
    assertEquals(0, cache.bytes());
    assertEquals(1, cache.hits());
  }

  @Test
  void rejectsInconsistentKeysAndNegativeBound() {
    assertThrows(IllegalArgumentException.class, () -> new ViewKey("synthetic", 0, 2, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new ViewKey("synthetic", 0, 0, 1, false));
    assertThrows(IllegalArgumentException.class, () -> new EmbeddingCache(-1));
  }
}
