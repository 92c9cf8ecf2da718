package org.aevlp.coordinator.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class GradientReducerTest {

  @Test
  void weightsEachGradientByItsSampleCount() {
    float[] mean = GradientReducer.weightedMean(List.of(
        new GradientReducer.Contribution(new float[] {1, 10}, 3),
        new GradientReducer.Contribution(new float[] {5, -2}, 1)));
    // (3*1 + 1*5)/4 = 2, (3*10 - 2)/4 = 7
    assertArrayEquals(new float[] {2, 7}, mean);
  }

  @Test
  void emptyMicroBatchesDoNotCount() {
    float[] mean = GradientReducer.weightedMean(List.of(
        new GradientReducer.Contribution(new float[] {4}, 2),
        new GradientReducer.Contribution(new float[] {100}, 0)));
    assertArrayEquals(new float[] {4}, mean);
  }

  @Test
  void mismatchedOrEmptyInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> GradientReducer.weightedMean(List.of()));
    assertThrows(IllegalArgumentException.class, () -> GradientReducer.weightedMean(List.of(
        new GradientReducer.Contribution(new float[] {1}, 1), new GradientReducer.Contribution(new float[] {1, 2}, 1))));
    assertThrows(IllegalArgumentException.class, () -> GradientReducer.weightedMean(List.of(
        new GradientReducer.Contribution(new float[] {1}, 0))));
  }

  @Test
  void plainMeanAveragesBuffers() {
    assertArrayEquals(new float[] {2, 0.5f}, GradientReducer.mean(List.of(new float[] {1, 0}, new float[] {3, 1})));
  }
}
