package org.aevlp.models;

import ai.djl.engine.Engine;

/**
 * Runs parameter initialisation under a fixed engine random seed, so every replica that builds the
 * same network with the same seed starts from bit-identical weights (DESIGN.md §3: replicas apply
 * the same mean gradient and must stay identical).
 *
 * <p>The engine's generator is process-wide: initialisations are serialised on one lock, and code
 * that draws engine random numbers on other threads at the same time would disturb the sequence.
 * Setting the seed also reseeds DJL's Java-side {@code RandomUtils}.
 */
public final class SeededInitialization {

  private static final Object LOCK = new Object();

  private SeededInitialization() {}

  /** Seeds the engine with {@code seed} and runs {@code initialization}, holding the lock. */
  public static void run(int seed, Runnable initialization) {
    synchronized (LOCK) {
      Engine.getInstance().setRandomSeed(seed);
      initialization.run();
    }
  }
}
