package org.aevlp.labeler.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.aevlp.labeler.batching.Batch;
import org.aevlp.labeler.batching.BatchDispatcher;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * A fixed set of {@link LabelerActor}s fed by a {@link org.aevlp.labeler.batching.DynamicBatcher}:
 * each batch goes to an idle actor, which returns to the idle set when it has completed the batch.
 * The batcher dispatches at most as many batches at once as there are actors (its {@code
 * maxInFlight} is {@link #size()}), so an idle actor is always there; batches never wait in a
 * mailbox, they wait in the batcher, where they can still grow.
 *
 * <p>The actors run on the dispatcher {@value #DISPATCHER} (configured in the labeler's {@code
 * reference.conf}), so their blocking work never starves Pekko's default dispatcher.
 */
public final class LabelerPool implements BatchDispatcher<LabelingTask, LabelingResult>, AutoCloseable {

  /** Config path of the dispatcher the actors run on. */
  public static final String DISPATCHER = "aevlp.labeler-dispatcher";

  private final List<ActorRef<LabelerActor.Command>> actors = new ArrayList<>();
  private final ConcurrentLinkedQueue<ActorRef<LabelerActor.Command>> idle = new ConcurrentLinkedQueue<>();

  /**
   * Spawns {@code size} actors as system actors of {@code system}, named {@code name-0},
   * {@code name-1}, ...
   */
  public LabelerPool(ActorSystem<?> system, DampLabeler labeler, int size, String name) {
    if (size < 1) {
      throw new IllegalArgumentException("a labeler pool needs at least one actor, got " + size);
    }
    for (int i = 0; i < size; i++) {
      ActorRef<LabelerActor.Command> actor =
          system.systemActorOf(LabelerActor.create(labeler), name + "-" + i, DispatcherSelector.fromConfig(DISPATCHER));
      actors.add(actor);
      idle.add(actor);
    }
  }

  /** Number of actors. */
  public int size() {
    return actors.size();
  }

  /** Actors not computing a batch now. */
  public int idleCount() {
    return idle.size();
  }

  @Override
  public void dispatch(Batch<LabelingTask, LabelingResult> batch) {
    ActorRef<LabelerActor.Command> actor = idle.poll();
    if (actor == null) {
      throw new IllegalStateException(
          "no idle labeler actor: the batcher must dispatch at most " + size() + " batches at once");
    }
    actor.tell(new LabelerActor.Compute(batch, () -> {
      idle.add(actor);
      batch.finished();
    }));
  }

  /** Stops the actors once they have finished their current batch. */
  @Override
  public void close() {
    actors.forEach(actor -> actor.tell(new LabelerActor.Stop()));
  }
}
