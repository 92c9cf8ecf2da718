package org.aevlp.common.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainValSplitterTest {

  @Test
  void sameSeedGivesSameSplitAndOtherSeedsDiffer() {
    SplitPlan a = TrainValSplitter.plan(200, SplitOptions.of(0.2, 1200));
    SplitPlan b = TrainValSplitter.plan(200, SplitOptions.of(0.2, 1200));
    SplitPlan c = TrainValSplitter.plan(200, SplitOptions.of(0.2, 1201));

    assertArrayEquals(a.trainRows(), b.trainRows());
    assertArrayEquals(a.valRows(), b.valRows());
    assertFalse(Arrays.equals(a.valRows(), c.valRows()));
  }

  @Test
  void trainAndValAreDisjointSortedAndCoverEveryRow() {
    SplitPlan plan = TrainValSplitter.plan(101, SplitOptions.of(0.3, 7));

    int[] all = IntStream.concat(Arrays.stream(plan.trainRows()), Arrays.stream(plan.valRows())).sorted().toArray();
    assertArrayEquals(IntStream.range(0, 101).toArray(), all);
    assertTrue(isAscending(plan.trainRows()));
    assertTrue(isAscending(plan.valRows()));
  }

  @Test
  void validationSizeRoundsHalfToEven() {
    assertEquals(2, TrainValSplitter.plan(10, SplitOptions.of(0.25, 0)).valRows().length);
    assertEquals(8, TrainValSplitter.plan(10, SplitOptions.of(0.25, 0)).trainRows().length);
    assertEquals(4, TrainValSplitter.plan(10, SplitOptions.of(0.35, 0)).valRows().length);
    assertEquals(1, TrainValSplitter.plan(7, SplitOptions.of(0.2, 0)).valRows().length);
    assertEquals(16548, TrainValSplitter.plan(82_739, SplitOptions.of(0.2, 1200)).valRows().length);
  }

  @Test
  void followsTheDocumentedShuffle() {
    int n = 23;
    int[] permuted = IntStream.range(0, n).toArray();
    SplittableRandom random = new SplittableRandom(99);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = permuted[i];
      permuted[i] = permuted[j];
      permuted[j] = t;
    }
    int nVal = 5; // rint(0.2 * 23) = rint(4.6)
    int[] expectedVal = Arrays.stream(permuted, n - nVal, n).sorted().toArray();

    assertArrayEquals(expectedVal, TrainValSplitter.plan(n, SplitOptions.of(0.2, 99)).valRows());
  }

  @Test
  void everyRowIsEquallyLikelyToBeHeldOut() {
    int[] heldOut = new int[10];
    int seeds = 2000;
    for (int seed = 0; seed < seeds; seed++) {
      for (int row : TrainValSplitter.plan(10, SplitOptions.of(0.3, seed)).valRows()) {
        heldOut[row]++;
      }
    }
    // each row is held out with probability 0.3: mean 600, standard deviation about 20.5
    for (int row = 0; row < heldOut.length; row++) {
      assertTrue(Math.abs(heldOut[row] - 600) < 90, "row " + row + " held out " + heldOut[row] + " times");
    }
  }

  @Test
  void subsamplingKeepsRoundedFractionOfEachSplitDeterministically() {
    SplitPlan full = TrainValSplitter.plan(100, SplitOptions.of(0.2, 3));
    SplitPlan sub = TrainValSplitter.plan(100, new SplitOptions(0.2, 3, 0.5, 0.25, 11));
    SplitPlan again = TrainValSplitter.plan(100, new SplitOptions(0.2, 3, 0.5, 0.25, 11));

    assertEquals(40, sub.trainRows().length);
    assertEquals(5, sub.valRows().length);
    assertTrue(isSubset(sub.trainRows(), full.trainRows()));
    assertTrue(isSubset(sub.valRows(), full.valRows()));
    assertTrue(isAscending(sub.trainRows()));
    assertArrayEquals(sub.trainRows(), again.trainRows());
    assertArrayEquals(sub.valRows(), again.valRows());
  }

  @Test
  void fullFractionsKeepEverythingWhateverTheSubsamplingSeed() {
    SplitPlan plain = TrainValSplitter.plan(50, SplitOptions.of(0.2, 4));
    SplitPlan seeded = TrainValSplitter.plan(50, new SplitOptions(0.2, 4, 1.0, 1.0, 12345));

    assertArrayEquals(plain.trainRows(), seeded.trainRows());
    assertArrayEquals(plain.valRows(), seeded.valRows());
  }

  @Test
  void validationSubsampleDoesNotDependOnTrainFraction() {
    SplitPlan a = TrainValSplitter.plan(100, new SplitOptions(0.3, 3, 1.0, 0.5, 8));
    SplitPlan b = TrainValSplitter.plan(100, new SplitOptions(0.3, 3, 0.4, 0.5, 8));

    assertArrayEquals(a.valRows(), b.valRows());
  }

  @Test
  void rejectsFractionThatEmptiesASplit() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrainValSplitter.plan(3, SplitOptions.of(0.1, 0)));
    assertEquals(
        "val_frac 0.1 of 3 training images leaves 3 for train and 0 for validation; both need at least one",
        e.getMessage());

    e = assertThrows(
        IllegalArgumentException.class, () -> TrainValSplitter.plan(10, new SplitOptions(0.5, 0, 0.05, 1.0, 0)));
    assertEquals("ss_frac_train 0.05 of 5 images keeps none; raise it or use 1.0", e.getMessage());
  }

  @Test
  void optionsRejectFractionsOutOfRange() {
    assertEquals("val_frac must be in (0, 1), got 1.0",
        assertThrows(IllegalArgumentException.class, () -> SplitOptions.of(1.0, 0)).getMessage());
    assertEquals("val_frac must be in (0, 1), got NaN",
        assertThrows(IllegalArgumentException.class, () -> SplitOptions.of(Double.NaN, 0)).getMessage());
    assertEquals("ss_frac_train must be in (0, 1], got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new SplitOptions(0.2, 0, 0.0, 1.0, 0)).getMessage());
    assertEquals("ss_frac_val must be in (0, 1], got 1.5",
        assertThrows(IllegalArgumentException.class, () -> new SplitOptions(0.2, 0, 1.0, 1.5, 0)).getMessage());
  }

  private static boolean isAscending(int[] values) {
    for (int i = 1; i < values.length; i++) {
      if (values[i - 1] >= values[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSubset(int[] part, int[] whole) {
    return Arrays.stream(part).allMatch(v -> Arrays.binarySearch(whole, v) >= 0);
  }
}
