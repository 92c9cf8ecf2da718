package org.aevlp.coordinator.service;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import org.aevlp.coordinator.experiments.ExperimentManager;
import org.aevlp.coordinator.experiments.ExperimentManager.WatchFeed;
import org.aevlp.proto.v1.ExperimentEvent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One Watch call: subscribes to the manager and writes each event to the client's stream, one at
 * a time (a gRPC stream must not be written concurrently). Stops when the experiment ends or the
 * client goes away; the manager drops it then through DeathWatch.
 */
final class WatchStream {

  private WatchStream() {}

  sealed interface Message {}

  record Feed(WatchFeed feed) implements Message {}

  enum ClientGone implements Message { INSTANCE }

  static Behavior<Message> create(ActorRef<ExperimentManager.Command> manager, String experimentId,
      ServerCallStreamObserver<ExperimentEvent> stream) {
    return Behaviors.setup(context -> {
      ActorRef<WatchFeed> feeds = context.messageAdapter(WatchFeed.class, Feed::new);
      manager.tell(new ExperimentManager.Watch(experimentId, feeds));
      return Behaviors.receive(Message.class)
          .onMessage(ClientGone.class, gone -> {
            manager.tell(new ExperimentManager.Unwatch(feeds));
            return Behaviors.stopped();
          })
          .onMessage(Feed.class, message -> {
            if (stream.isCancelled()) {
              return Behaviors.stopped();
            }
            if (message.feed() instanceof WatchFeed.Unknown unknown) {
              stream.onError(Status.NOT_FOUND.withDescription("no experiment " + unknown.experimentId())
                  .asRuntimeException());
              return Behaviors.stopped();
            }
            WatchFeed.Event event = (WatchFeed.Event) message.feed();
            stream.onNext(event.event());
            if (event.last()) {
              stream.onCompleted();
              return Behaviors.stopped();
            }
            return Behaviors.same();
          })
          .build();
    });
  }
}
