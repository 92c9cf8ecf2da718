package org.aevlp.common.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ViewFlipsTest {

  private static final int SAMPLES = 10_000;
  private static final int VIEWS = 5;

  @Test
  void sameKeysGiveTheSameFlips() {
    ViewFlips one = new ViewFlips(2024L);
    ViewFlips other = new ViewFlips(2024L);
    for (int sample = 0; sample < 200; sample++) {
      assertArrayEquals(one.forSample(3, sample, VIEWS), other.forSample(3, sample, VIEWS));
    }
  }

  @Test
  void aboutHalfOfTheViewsAreFlipped() {
    ViewFlips flips = new ViewFlips(7L);
    int flipped = 0;
    for (int sample = 0; sample < SAMPLES; sample++) {
      for (boolean f : flips.forSample(1, sample, VIEWS)) {
        flipped += f ? 1 : 0;
      }
    }
    // 50 000 fair draws: the standard deviation of the fraction is 0.0022.
    double fraction = flipped / (double) (SAMPLES * VIEWS);
    assertEquals(0.5, fraction, 0.01);
  }

  @Test
  void epochsSeedsAndViewsDrawIndependently() {
    ViewFlips flips = new ViewFlips(7L);
    ViewFlips otherSeed = new ViewFlips(8L);
    int epochChanges = 0;
    int seedChanges = 0;
    int viewChanges = 0;
    for (int sample = 0; sample < SAMPLES; sample++) {
      boolean base = flips.isFlipped(1, sample, 0);
      epochChanges += base != flips.isFlipped(2, sample, 0) ? 1 : 0;
      seedChanges += base != otherSeed.isFlipped(1, sample, 0) ? 1 : 0;
      viewChanges += base != flips.isFlipped(1, sample, 1) ? 1 : 0;
    }
    assertEquals(0.5, epochChanges / (double) SAMPLES, 0.03, "epoch 2 vs epoch 1");
    assertEquals(0.5, seedChanges / (double) SAMPLES, 0.03, "seed 8 vs seed 7");
    assertEquals(0.5, viewChanges / (double) SAMPLES, 0.03, "view 1 vs view 0");
  }

  @Test
  void rejectsNegativeKeys() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ViewFlips(1L).isFlipped(0, -1, 0));
    assertTrue(e.getMessage().contains("sampleIndex"), e.getMessage());
  }
}
