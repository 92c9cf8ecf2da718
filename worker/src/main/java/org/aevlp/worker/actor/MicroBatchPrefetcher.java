package org.aevlp.worker.actor;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prepares micro-batches on a background thread so that the replica's thread finds the next one
 * ready (DESIGN §3.1). The runner hints at the indices a worker will run next step; the hint is
 * loaded while the current step computes.
 *
 * <p>Bounded: at most one hinted batch is pending at a time (a new hint cancels an older one the
 * worker did not ask for), plus the batches actually requested, which the runner sends one step
 * at a time. Decoding itself runs on the image decoder's own bounded pool.
 */
final class MicroBatchPrefetcher implements AutoCloseable {

  /** Loads one micro-batch; may block (decoding, labeler retries) and be interrupted. */
  @FunctionalInterface
  interface Loader {
    PreparedBatch load(int epoch, List<Integer> indices) throws Exception;
  }

  private record Key(int epoch, List<Integer> indices) {}

  private final Loader loader;
  private final ExecutorService executor;
  private final Map<Key, CompletableFuture<PreparedBatch>> hinted = new LinkedHashMap<>();
  private int hits;

  MicroBatchPrefetcher(Loader loader, String threadName) {
    this.loader = loader;
    AtomicInteger count = new AtomicInteger();
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, threadName + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The batch of {@code indices}: the prefetched one if it was hinted, else loaded now. */
  synchronized CompletableFuture<PreparedBatch> take(int epoch, List<Integer> indices) {
    CompletableFuture<PreparedBatch> ready = hinted.remove(new Key(epoch, List.copyOf(indices)));
    if (ready != null) {
      hits++;
      return ready;
    }
    return submit(epoch, indices);
  }

  /** Starts loading {@code indices} ahead; replaces an older hint that was not taken. */
  synchronized void hint(int epoch, List<Integer> indices) {
    Key key = new Key(epoch, List.copyOf(indices));
    if (indices.isEmpty() || hinted.containsKey(key)) {
      return;
    }
    for (Iterator<CompletableFuture<PreparedBatch>> stale = hinted.values().iterator(); stale.hasNext(); ) {
      stale.next().cancel(true);
      stale.remove();
    }
    hinted.put(key, submit(epoch, indices));
  }

  /** Requests served from a hint so far. */
  synchronized int hits() {
    return hits;
  }

  private CompletableFuture<PreparedBatch> submit(int epoch, List<Integer> indices) {
    CompletableFuture<PreparedBatch> result = new CompletableFuture<>();
    var task = executor.submit(() -> {
      try {
        result.complete(loader.load(epoch, indices));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    result.whenComplete((value, error) -> {
      if (result.isCancelled()) {
        task.cancel(true);
      }
    });
    return result;
  }

  @Override
  public synchronized void close() {
    hinted.values().forEach(f -> f.cancel(true));
    hinted.clear();
    executor.shutdownNow();
  }
}
