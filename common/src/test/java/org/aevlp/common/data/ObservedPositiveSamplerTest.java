package org.aevlp.common.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ObservedPositiveSamplerTest {

  @Test
  void drawsUniformlyAmongPositives() {
    int[] positives = {1, 4, 6, 9};
    int[] counts = new int[10];
    ObservedPositiveSampler sampler = new ObservedPositiveSampler(3);
    for (int i = 0; i < 4000; i++) {
      counts[sampler.draw(positives)]++;
    }
    // each of four positives: mean 1000, standard deviation about 27
    for (int c : positives) {
      assertTrue(Math.abs(counts[c] - 1000) < 120, "class " + c + " drawn " + counts[c] + " times");
    }
    assertEquals(4000, counts[1] + counts[4] + counts[6] + counts[9]);
  }

  @Test
  void followsTheDocumentedPerImageSeeds() {
    SplittableRandom seeds = new SplittableRandom(77);
    seeds.nextLong(); // first image: skipped
    int expected = new int[] {2, 5, 7}[new SplittableRandom(seeds.nextLong()).nextInt(3)];

    ObservedPositiveSampler sampler = new ObservedPositiveSampler(77);
    sampler.skip();
    assertEquals(expected, sampler.draw(new int[] {2, 5, 7}));
  }

  @Test
  void rejectsImageWithoutPositives() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> new ObservedPositiveSampler(0).draw(new int[0]));
    assertEquals("an image needs at least one positive to draw from", e.getMessage());
  }
}
