package org.aevlp.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterNodeConfigTest {

  @Test
  void seedNodesAreFullPekkoAddressesAndRolesAndPortLandInTheConfig() {
    ClusterNodeConfig node = new ClusterNodeConfig("127.0.0.1", 2552, List.of("127.0.0.1:2551",
        "pekko://aevlp@10.0.0.5:2551"), Set.of("worker"));
    Config config = node.toConfig();
    assertEquals(List.of("pekko://aevlp@127.0.0.1:2551", "pekko://aevlp@10.0.0.5:2551"),
        config.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(List.of("worker"), config.getStringList("pekko.cluster.roles"));
    assertEquals(2552, config.getInt("pekko.remote.artery.canonical.port"));
    assertEquals("cluster", config.getString("pekko.actor.provider"));
    assertTrue(config.getString("pekko.cluster.downing-provider-class").endsWith("SplitBrainResolverProvider"));
  }

  @Test
  void aSeedWithoutPortIsRejectedNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClusterNodeConfig("127.0.0.1", 0, List.of("localhost"), Set.of("worker")));
    assertTrue(e.getMessage().startsWith("seed-nodes: expected host:port"), e.getMessage());
  }

  @Test
  void withoutSeedsTheNodeJoinsItself() {
    assertTrue(ClusterNodeConfig.embedded(Set.of("worker")).joinsItself());
  }
}
