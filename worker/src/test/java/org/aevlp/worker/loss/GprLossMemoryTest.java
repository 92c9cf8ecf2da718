package org.aevlp.worker.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The GPR loss's backward pass must read only memory that is still alive. Between forward and
 * backward this test lets the garbage collector run and fills freshly allocated native memory of
 * the sizes a 0-d float array takes with NaN bit patterns, from several threads (so that memory a
 * collector freed on one thread is handed out again). A backward pass that still reads a constant
 * whose Java buffer was collected (DJL's {@code mul(Number)} and the like, which the loss used to
 * call) then sees NaN or garbage; with {@code ScalarArrays} the gradient is the same bits as one
 * taken without any of that in between.
 */
class GprLossMemoryTest {

  private static final int ROWS = 16;
  private static final int CLASSES = 10;

  @Test
  void theGradientDoesNotChangeWhenTheCollectorRunsAndFreedMemoryIsReusedBeforeBackward() throws Exception {
    SplittableRandom random = new SplittableRandom(12);
    float[] logits = new float[ROWS * CLASSES];
    float[] observed = new float[ROWS * CLASSES];
    float[] pseudo = new float[ROWS * CLASSES];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (random.nextDouble() * 6 - 3);
    }
    for (int r = 0; r < ROWS; r++) {
      int positive = random.nextInt(CLASSES);
      observed[r * CLASSES + positive] = 1;
      pseudo[r * CLASSES + (positive + 1 + random.nextInt(CLASSES - 1)) % CLASSES] = 1;
    }
    GprLoss loss = GprLoss.forEpoch(GprLossTest.params(true, CLASSES), 1);
    ExecutorService churners = Executors.newFixedThreadPool(4);
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] reference = gradient(manager, loss, logits, observed, pseudo, null);
      for (int round = 0; round < 20; round++) {
        assertArrayEquals(reference, gradient(manager, loss, logits, observed, pseudo, churners),
            "round " + round + ": the backward pass read memory that was freed and reused");
      }
    } finally {
      churners.shutdownNow();
    }
  }

  private static float[] gradient(NDManager manager, GprLoss loss, float[] logits, float[] observed, float[] pseudo,
      ExecutorService churners) throws Exception {
    Shape shape = new Shape(ROWS, CLASSES);
    try (NDManager step = manager.newSubManager()) {
      NDArray z = step.create(logits, shape);
      z.setRequiresGradient(true);
      NDList labels = new NDList(step.create(observed, shape), step.create(pseudo, shape));
      List<ByteBuffer> reused = new ArrayList<>();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray value = loss.evaluate(labels, new NDList(z));
        if (churners != null) {
          reused = reuseFreedMemory(churners);
        }
        collector.backward(value);
      }
      float[] gradient = z.getGradient().toFloatArray();
      reused.clear();
      return gradient;
    }
  }

  /** Collects garbage, then allocates many small direct buffers filled with 0xFF (a NaN as float). */
  private static List<ByteBuffer> reuseFreedMemory(ExecutorService churners) throws Exception {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(10);
    }
    List<Future<List<ByteBuffer>>> parts = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      parts.add(churners.submit(() -> {
        List<ByteBuffer> held = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
          ByteBuffer buffer = ByteBuffer.allocateDirect(4 << (i % 2));
          while (buffer.hasRemaining()) {
            buffer.put((byte) 0xFF);
          }
          held.add(buffer);
        }
        return held;
      }));
    }
    List<ByteBuffer> all = new ArrayList<>();
    for (Future<List<ByteBuffer>> part : parts) {
      all.addAll(part.get());
    }
    return all;
  }
}
