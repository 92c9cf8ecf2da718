package org.aevlp.worker.labeling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The gRPC addresses of the labelers a worker currently knows from the cluster, kept up to date by
 * {@link LabelerDiscovery} and read by {@link LabelerClient} before every call, so calls follow
 * labelers as they join and leave. Thread-safe.
 */
public final class LabelerDirectory implements Supplier<List<String>> {

  private List<String> addresses = List.of();
  private final List<CompletableFuture<List<String>>> waiting = new ArrayList<>();

  /** The known addresses, sorted (so every worker's round-robin walks them in the same order). */
  @Override
  public synchronized List<String> get() {
    return addresses;
  }

  /** Replaces the known addresses; completes the waiters of {@link #whenAnyKnown} when some are. */
  public synchronized void replace(Collection<String> known) {
    addresses = known.stream().distinct().sorted().toList();
    if (!addresses.isEmpty()) {
      // copied first: completing a waiter runs its forget(), which edits the list
      List<CompletableFuture<List<String>>> done = List.copyOf(waiting);
      waiting.clear();
      done.forEach(waiter -> waiter.complete(addresses));
    }
  }

  /** Completes with the addresses as soon as at least one labeler is known (at once if one is). */
  public synchronized CompletableFuture<List<String>> whenAnyKnown() {
    CompletableFuture<List<String>> waiter = new CompletableFuture<>();
    if (!addresses.isEmpty()) {
      waiter.complete(addresses);
    } else {
      waiting.add(waiter);
      // a caller that gives up (orTimeout, cancel) is forgotten
      waiter.whenComplete((known, error) -> forget(waiter));
    }
    return waiter;
  }

  private synchronized void forget(CompletableFuture<List<String>> waiter) {
    waiting.remove(waiter);
  }
}
