package org.aevlp.labeler.service;

import java.util.List;
import org.aevlp.labeler.batching.Batch;
import org.aevlp.labeler.batching.BatcherClosedException;
import org.aevlp.labeler.batching.QueuedRequest;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;

/**
 * A labeler actor: computes the batches it is sent with a {@link DampLabeler} and completes the
 * callers' futures. The work blocks (image decoding, DJL), so the actor runs on the dedicated
 * dispatcher {@value LabelerPool#DISPATCHER} (see {@link LabelerPool}).
 */
public final class LabelerActor {

  private LabelerActor() {}

  /** The actor's protocol. */
  public sealed interface Command permits Compute, Stop {}

  /**
   * Compute {@code batch}, complete its requests, then run {@code whenDone} (the pool uses it to
   * mark the actor idle and free the batcher's slot).
   */
  public record Compute(Batch<LabelingTask, LabelingResult> batch, Runnable whenDone) implements Command {}

  /** Stop the actor. */
  public record Stop() implements Command {}

  /** The actor's behaviour; failures of a batch fail its requests, the actor carries on. */
  public static Behavior<Command> create(DampLabeler labeler) {
    Behavior<Command> behavior = Behaviors.setup(
        context -> Behaviors.receive(Command.class)
            .onMessage(Compute.class, compute -> {
              computeBatch(labeler, compute, context.getLog());
              return Behaviors.same();
            })
            .onMessage(Stop.class, stop -> Behaviors.stopped())
            .build());
    return Behaviors.supervise(behavior).onFailure(SupervisorStrategy.restart());
  }

  private static void computeBatch(DampLabeler labeler, Compute compute, Logger log) {
    // Requests cancelled after dispatch (caller gone) are skipped.
    List<QueuedRequest<LabelingTask, LabelingResult>> live =
        compute.batch().requests().stream().filter(request -> !request.isDone()).toList();
    try {
      if (!live.isEmpty()) {
        List<LabelingResult> results = labeler.label(live.stream().map(QueuedRequest::work).toList());
        for (int i = 0; i < live.size(); i++) {
          live.get(i).complete(results.get(i));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      compute.batch().failAll(new BatcherClosedException());
    } catch (RuntimeException e) {
      log.error("labeling a batch of {} images failed", compute.batch().images(), e);
      compute.batch().failAll(e);
    } finally {
      compute.whenDone().run();
    }
  }
}
