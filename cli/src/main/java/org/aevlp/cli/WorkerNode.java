package org.aevlp.cli;

import java.util.ArrayList;
import java.util.List;
import org.aevlp.common.cluster.WorkerProtocol.Command;
import org.aevlp.worker.actor.ReplicaFactory;
import org.aevlp.worker.actor.WorkerActor;
import org.aevlp.worker.actor.WorkerSettings;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/** Spawns worker actors on a node, all on the shared one-thread DJL dispatcher. */
public final class WorkerNode {

  private WorkerNode() {}

  /** Spawns {@code count} workers named {@code worker-<first>..}; they register with the Receptionist. */
  public static List<ActorRef<Command>> spawn(ActorSystem<?> system, int first, int count, WorkerSettings settings,
      ReplicaFactory replicas) {
    List<ActorRef<Command>> workers = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      workers.add(system.systemActorOf(WorkerActor.create(settings, replicas), "worker-" + i,
          WorkerActor.dispatcher()));
    }
    return workers;
  }
}
