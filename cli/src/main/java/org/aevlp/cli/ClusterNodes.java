package org.aevlp.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Locale;
import org.aevlp.common.cluster.ClusterNodeConfig;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/** Starts the actor system of an aevlp node and makes it join its cluster. */
public final class ClusterNodes {

  /** How a node finds the cluster. */
  public enum Discovery {
    /** Configured seed nodes ({@code --seed-nodes}); none: the node forms a cluster by itself. */
    SEED_NODES,
    /** Pekko Management Cluster Bootstrap with Kubernetes API discovery ({@code aevlp-kubernetes.conf}). */
    KUBERNETES;

    static Discovery parse(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "seed-nodes", "seed" -> SEED_NODES;
        case "kubernetes", "k8s" -> KUBERNETES;
        default -> throw new IllegalArgumentException("--discovery: expected seed-nodes or kubernetes, got " + name);
      };
    }
  }

  private ClusterNodes() {}

  /** An actor system for {@code node}, joined to its cluster as {@code discovery} says. */
  public static ActorSystem<Void> start(ClusterNodeConfig node, Discovery discovery) {
    return start(node, discovery, ConfigFactory.empty());
  }

  /** As {@link #start(ClusterNodeConfig, Discovery)}, with {@code extra} settings of the node's role. */
  public static ActorSystem<Void> start(ClusterNodeConfig node, Discovery discovery, Config extra) {
    Config overrides = discovery == Discovery.KUBERNETES
        ? ConfigFactory.parseResources("aevlp-kubernetes.conf").resolve().withFallback(extra)
        : extra;
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), ClusterNodeConfig.SYSTEM_NAME, node.toConfig(overrides));
    if (discovery == Discovery.KUBERNETES) {
      PekkoManagement.get(Adapter.toClassic(system)).start();
      ClusterBootstrap.get(Adapter.toClassic(system)).start();
    } else if (node.joinsItself()) {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    return system;
  }

  /** The innermost message of a start-up failure (e.g. the bind error inside Pekko's wrapper). */
  static String rootCause(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
