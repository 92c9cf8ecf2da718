package org.aevlp.coordinator.runner;

import java.util.Set;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.common.cluster.WorkerProtocol.Reply;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One unit of the runner's work that needs answers from workers (a step, an average, an
 * evaluation, a checkpoint, a state copy). It runs inside the runner actor: no locking, and it ends
 * by calling back into the runner.
 */
abstract class Operation {

  protected final ExperimentRunner runner;

  Operation(ExperimentRunner runner) {
    this.runner = runner;
  }

  /** Sends the first commands. */
  abstract void start();

  /** A worker answered (anything but Prepared and WorkerFailed, which the runner handles). */
  abstract void onReply(Reply reply);

  /**
   * A worker is out of training (already removed from the runner's ready workers): re-plan its
   * unfinished share on the remaining ones, if any.
   */
  abstract void onWorkerLost(ActorRef<Command> worker);

  /** The workers whose answer the operation still waits for (the runner's watchdog uses it). */
  abstract Set<ActorRef<Command>> awaited();
}
