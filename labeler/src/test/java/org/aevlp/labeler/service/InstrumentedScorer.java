package org.aevlp.labeler.service;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aevlp.labeler.scorer.Scorer;

/**
 * Wraps a scorer to count its image calls and views, and, when gated, to hold every image call
 * until {@link #open()} (to keep a labeler busy in tests). Does not close the wrapped scorer.
 */
final class InstrumentedScorer implements Scorer {

  private final Scorer delegate;
  private final CountDownLatch gate;
  private final AtomicInteger imageCalls = new AtomicInteger();
  private final AtomicInteger views = new AtomicInteger();
  private final CountDownLatch entered = new CountDownLatch(1);

  private InstrumentedScorer(Scorer delegate, boolean gated) {
    this.delegate = delegate;
    this.gate = new CountDownLatch(gated ? 1 : 0);
  }

  static InstrumentedScorer counting(Scorer delegate) {
    return new InstrumentedScorer(delegate, false);
  }

  static InstrumentedScorer gated(Scorer delegate) {
    return new InstrumentedScorer(delegate, true);
  }

  /** Lets held and future image calls through. */
  void open() {
    gate.countDown();
  }

  /** Waits until an image call has started. */
  boolean awaitFirstCall(long seconds) throws InterruptedException {
    return entered.await(seconds, TimeUnit.SECONDS);
  }

  int imageCalls() {
    return imageCalls.get();
  }

  int viewsEmbedded() {
    return views.get();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public int inputSize() {
    return delegate.inputSize();
  }

  @Override
  public int embeddingDimension() {
    return delegate.embeddingDimension();
  }

  @Override
  public float[][] embedImages(List<float[]> batch) {
    imageCalls.incrementAndGet();
    views.addAndGet(batch.size());
    entered.countDown();
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the scorer's gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at the scorer's gate", e);
    }
    return delegate.embedImages(batch);
  }

  @Override
  public float[][] embedTexts(List<String> prompts) {
    return delegate.embedTexts(prompts);
  }

  @Override
  public void close() {}
}
