package org.aevlp.worker.labeling;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aevlp.common.cluster.LabelerProtocol;
import org.aevlp.common.cluster.LabelerProtocol.GetEndpoint;
import org.aevlp.common.cluster.LabelerProtocol.LabelerEndpoint;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * Finds the labelers that joined the cluster (DESIGN §2) for a worker started without labeler
 * addresses: subscribes to {@link LabelerProtocol#LABELER_SERVICE} with the Receptionist, asks every
 * listed labeler for its gRPC endpoint ({@link GetEndpoint}), and keeps a {@link LabelerDirectory}
 * holding the endpoints of the labelers listed now. A labeler whose node leaves or is downed drops
 * out of the listing and so out of the directory. Unanswered questions are asked again every
 * {@link #REASK_INTERVAL} (remote messages may be lost while a node is joining).
 */
public final class LabelerDiscovery extends AbstractBehavior<LabelerDiscovery.Event> {

  static final Duration REASK_INTERVAL = Duration.ofSeconds(2);

  /** What the discovery reacts to; only ever sent inside the worker's JVM. */
  public sealed interface Event permits Listed, Answered, Reask {}

  private record Listed(Receptionist.Listing listing) implements Event {}

  private record Answered(LabelerEndpoint endpoint) implements Event {}

  private enum Reask implements Event { INSTANCE }

  private final LabelerDirectory directory;
  private final ActorRef<LabelerEndpoint> answers;
  private Set<ActorRef<LabelerProtocol.Command>> listed = Set.of();
  private final Map<ActorRef<LabelerProtocol.Command>, String> endpoints = new HashMap<>();

  private LabelerDiscovery(ActorContext<Event> context, LabelerDirectory directory) {
    super(context);
    // named after this class: behind Behaviors.withTimers the default would be a Pekko class, logged at WARN only
    context.setLoggerName(LabelerDiscovery.class);
    this.directory = directory;
    this.answers = context.messageAdapter(LabelerEndpoint.class, Answered::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(LabelerProtocol.LABELER_SERVICE,
        context.messageAdapter(Receptionist.Listing.class, Listed::new)));
  }

  /** A discovery that keeps {@code directory} up to date for as long as it runs. */
  public static Behavior<Event> create(LabelerDirectory directory) {
    return Behaviors.setup(context -> Behaviors.withTimers((TimerScheduler<Event> timers) -> {
      timers.startTimerWithFixedDelay(Reask.INSTANCE, REASK_INTERVAL);
      return new LabelerDiscovery(context, directory);
    }));
  }

  @Override
  public Receive<Event> createReceive() {
    return newReceiveBuilder()
        .onMessage(Listed.class, this::onListed)
        .onMessage(Answered.class, this::onAnswered)
        .onMessageEquals(Reask.INSTANCE, this::askUnanswered)
        .build();
  }

  private Behavior<Event> onListed(Listed message) {
    listed = message.listing().getServiceInstances(LabelerProtocol.LABELER_SERVICE);
    if (endpoints.keySet().retainAll(listed)) {
      publish();
    }
    return askUnanswered();
  }

  private Behavior<Event> onAnswered(Answered message) {
    LabelerEndpoint endpoint = message.endpoint();
    // an answer from a labeler that has left meanwhile is stale
    if (listed.contains(endpoint.labeler()) && !endpoint.address().equals(endpoints.get(endpoint.labeler()))) {
      endpoints.put(endpoint.labeler(), endpoint.address());
      publish();
    }
    return this;
  }

  private Behavior<Event> askUnanswered() {
    for (ActorRef<LabelerProtocol.Command> labeler : listed) {
      if (!endpoints.containsKey(labeler)) {
        labeler.tell(new GetEndpoint(answers));
      }
    }
    return this;
  }

  private void publish() {
    directory.replace(endpoints.values());
    List<String> known = directory.get();
    getContext().getLog().info("labelers known from the cluster: {}", known.isEmpty() ? "none" : known);
  }
}
