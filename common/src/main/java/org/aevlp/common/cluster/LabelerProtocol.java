package org.aevlp.common.cluster;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * How workers find labelers that joined the cluster (DESIGN §2): a labeler node registers an
 * endpoint actor with the Receptionist under {@link #LABELER_SERVICE}; a worker without configured
 * labeler addresses subscribes to the key and asks every listed actor for its gRPC endpoint.
 * Pseudo-labels themselves then travel over gRPC, never through Pekko.
 *
 * <p>Both messages cross nodes, serialized by {@link ClusterMessageSerializer} into {@code
 * cluster.proto}.
 */
public final class LabelerProtocol {

  /** Labeler endpoint actors register under this key; workers subscribe to it. */
  public static final ServiceKey<Command> LABELER_SERVICE = ServiceKey.create(Command.class, "aevlp-labeler");

  private LabelerProtocol() {}

  /** Messages a labeler endpoint actor accepts. */
  public sealed interface Command extends ClusterMessage permits GetEndpoint {}

  /** Asks a labeler where its LabelerService listens; answered with {@link LabelerEndpoint}. */
  public record GetEndpoint(ActorRef<LabelerEndpoint> replyTo) implements Command {}

  /**
   * The gRPC address of a labeler, as other nodes reach it.
   *
   * @param labeler the endpoint actor that answers (the key of the worker's table)
   * @param host the labeler's advertised host ({@code aevlp labeler --host})
   * @param port its gRPC port
   */
  public record LabelerEndpoint(ActorRef<Command> labeler, String host, int port) implements ClusterMessage {
    public LabelerEndpoint {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("labeler endpoint host: must not be blank");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("labeler endpoint port: must be in [1, 65535], got " + port);
      }
    }

    /** The gRPC target, {@code host:port} (IPv6 hosts in brackets). */
    public String address() {
      return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
  }
}
