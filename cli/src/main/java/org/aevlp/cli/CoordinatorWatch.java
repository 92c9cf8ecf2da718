package org.aevlp.cli;

import org.aevlp.common.cluster.ClusterNodeConfig;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Ends a worker or labeler node when the coordinator leaves the cluster: the process exits, and its
 * supervisor (a shell, a StatefulSet, a Deployment) starts it again to join the next coordinator. A coordinator
 * that dies without leaving has the same effect through the split-brain resolver, which downs the
 * side without the oldest coordinator.
 */
final class CoordinatorWatch {

  private CoordinatorWatch() {}

  static Behavior<ClusterEvent.MemberRemoved> create() {
    return Behaviors.setup(context -> {
      Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(context.getSelf(),
          ClusterEvent.MemberRemoved.class));
      return Behaviors.receiveMessage(removed -> {
        if (removed.member().hasRole(ClusterNodeConfig.COORDINATOR_ROLE)) {
          context.getLog().info("coordinator {} left the cluster; this node stops",
              removed.member().address());
          context.getSystem().terminate();
        }
        return Behaviors.same();
      });
    });
  }
}
