package org.aevlp.labeler.service;

import org.aevlp.common.cluster.LabelerProtocol;
import org.aevlp.common.cluster.LabelerProtocol.Command;
import org.aevlp.common.cluster.LabelerProtocol.GetEndpoint;
import org.aevlp.common.cluster.LabelerProtocol.LabelerEndpoint;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * Makes a labeler that joined the cluster findable (DESIGN §2): registers with the Receptionist
 * under {@link LabelerProtocol#LABELER_SERVICE} and answers {@link GetEndpoint} with the gRPC
 * address other nodes reach the labeler at. Stopping it (or the node leaving) takes the labeler
 * out of every worker's list.
 */
public final class LabelerEndpointActor {

  private LabelerEndpointActor() {}

  /**
   * @param host the address other nodes reach this labeler at ({@code aevlp labeler --host})
   * @param port the port its LabelerService listens on
   */
  public static Behavior<Command> create(String host, int port) {
    return Behaviors.setup(context -> {
      LabelerEndpoint endpoint = new LabelerEndpoint(context.getSelf(), host, port);
      context.getSystem().receptionist().tell(Receptionist.register(LabelerProtocol.LABELER_SERVICE,
          context.getSelf()));
      context.getLog().info("labeler registered with the cluster at gRPC {}", endpoint.address());
      return Behaviors.receive(Command.class)
          .onMessage(GetEndpoint.class, get -> {
            get.replyTo().tell(endpoint);
            return Behaviors.same();
          })
          .build();
    });
  }
}
