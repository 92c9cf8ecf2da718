package org.aevlp.common.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Set;

/**
 * The configuration of one aevlp cluster node: {@code aevlp-cluster.conf} (failure detection,
 * downing, remoting) plus the node's roles, address and seed nodes.
 *
 * @param hostname address other nodes reach this one at (loopback on one machine)
 * @param port remoting port; 0 picks a free one
 * @param seedNodes seed nodes as {@code host:port} or full {@code pekko://aevlp@host:port}
 *     addresses (kept in the full form); empty: the node joins itself (an embedded one-JVM cluster,
 *     or the first node)
 * @param roles cluster roles: {@code coordinator}, {@code worker}, {@code labeler}
 */
public record ClusterNodeConfig(String hostname, int port, List<String> seedNodes, Set<String> roles) {

  /** Name of every aevlp actor system: nodes only join systems of the same name. */
  public static final String SYSTEM_NAME = "aevlp";

  public static final String COORDINATOR_ROLE = "coordinator";
  public static final String WORKER_ROLE = "worker";
  public static final String LABELER_ROLE = "labeler";

  public ClusterNodeConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: must be in [0, 65535], got " + port);
    }
    seedNodes = seedNodes.stream().map(ClusterNodeConfig::seedAddress).toList();
    roles = Set.copyOf(roles);
  }

  /** A node on loopback with a free port that joins itself. */
  public static ClusterNodeConfig embedded(Set<String> roles) {
    return new ClusterNodeConfig("127.0.0.1", 0, List.of(), roles);
  }

  /** The full configuration, {@code overrides} (e.g. Kubernetes bootstrap) taking precedence. */
  public Config toConfig(Config overrides) {
    Config node = ConfigFactory.empty()
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(hostname))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles.stream().sorted().toList()))
        .withValue("pekko.cluster.seed-nodes",
            ConfigValueFactory.fromIterable(seedNodes));
    return overrides
        .withFallback(node)
        .withFallback(ConfigFactory.parseResources("aevlp-cluster.conf"))
        .withFallback(ConfigFactory.load());
  }

  /** The full configuration. */
  public Config toConfig() {
    return toConfig(ConfigFactory.empty());
  }

  /** Whether the node must join itself (no seed nodes given). */
  public boolean joinsItself() {
    return seedNodes.isEmpty();
  }

  static String seedAddress(String seed) {
    String trimmed = seed.trim();
    if (trimmed.startsWith("pekko://")) {
      return trimmed;
    }
    if (!trimmed.matches("[^:/@]+:\\d{1,5}")) {
      throw new IllegalArgumentException(
          "seed-nodes: expected host:port or pekko://" + SYSTEM_NAME + "@host:port, got '" + seed + "'");
    }
    return "pekko://" + SYSTEM_NAME + "@" + trimmed;
  }
}
