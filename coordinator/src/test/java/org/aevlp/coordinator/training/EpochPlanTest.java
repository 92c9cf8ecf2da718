package org.aevlp.coordinator.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EpochPlanTest {

  @Test
  void everySampleAppearsExactlyOncePerEpoch() {
    EpochPlan plan = EpochPlan.of(1200, 3, 103, 16);
    assertEquals(7, plan.steps());
    int[] seen = new int[103];
    for (int step = 0; step < plan.steps(); step++) {
      for (int index : plan.batch(step)) {
        seen[index]++;
      }
    }
    assertArrayEquals(IntStream.generate(() -> 1).limit(103).toArray(), seen);
    assertEquals(103 - 6 * 16, plan.batch(6).length, "last batch keeps the remainder");
  }

  @Test
  void sameSeedAndEpochGiveTheSameOrderAndEpochsDiffer() {
    assertEquals(EpochPlan.of(7, 2, 50, 8), EpochPlan.of(7, 2, 50, 8));
    assertFalse(Arrays.equals(EpochPlan.of(7, 1, 50, 8).order(), EpochPlan.of(7, 2, 50, 8).order()));
    assertFalse(Arrays.equals(EpochPlan.of(7, 1, 50, 8).order(), EpochPlan.of(8, 1, 50, 8).order()));
  }

  @Test
  void microBatchesAreNearEqualContiguousAndCoverTheBatch() {
    int[] batch = {10, 11, 12, 13, 14, 15, 16};
    List<int[]> parts = EpochPlan.split(batch, 3);
    assertArrayEquals(new int[] {10, 11, 12}, parts.get(0));
    assertArrayEquals(new int[] {13, 14}, parts.get(1));
    assertArrayEquals(new int[] {15, 16}, parts.get(2));
    assertEquals(2, EpochPlan.split(new int[] {1, 2}, 5).size(), "no empty micro-batches");
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> EpochPlan.of(1, 0, 10, 4));
    assertThrows(IllegalArgumentException.class, () -> EpochPlan.of(1, 1, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> EpochPlan.split(new int[] {1}, 0));
  }
}
