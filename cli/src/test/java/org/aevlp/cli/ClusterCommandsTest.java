package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ClusterCommandsTest {

  private static int run(StringWriter err, String... args) {
    CommandLine commandLine = AevlpCommand.newCommandLine();
    commandLine.setErr(new PrintWriter(err));
    commandLine.setOut(new PrintWriter(new StringWriter()));
    return commandLine.execute(args);
  }

  @Test
  void coordinatorWorkerAndBenchAreRealCommandsNow() {
    for (String command : new String[] {"coordinator", "worker", "bench cluster"}) {
      StringWriter out = new StringWriter();
      CommandLine commandLine = AevlpCommand.newCommandLine();
      commandLine.setOut(new PrintWriter(out));
      String[] args = (command + " --help").split(" ");
      assertEquals(0, commandLine.execute(args), command);
      assertTrue(!out.toString().contains("not available yet"), out.toString());
    }
  }

  @Test
  void aWorkerWithoutSeedNodesIsAUsageErrorNamingTheOption() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "worker"));
    assertTrue(err.toString().contains("--seed-nodes"), err.toString());
  }

  @Test
  void aMalformedSeedNodeIsAUsageErrorNamingTheOption() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "worker", "--seed-nodes", "localhost"));
    assertTrue(err.toString().contains("seed-nodes: expected host:port"), err.toString());
  }

  @Test
  void kubernetesBootstrapConfigurationUsesKubernetesApiDiscoveryWithoutSeeds() {
    com.typesafe.config.Config config = com.typesafe.config.ConfigFactory.parseResources("aevlp-kubernetes.conf")
        .resolve();
    assertEquals("kubernetes-api",
        config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    assertTrue(config.getStringList("pekko.cluster.seed-nodes").isEmpty());
    assertEquals("management", config.getString("pekko.discovery.kubernetes-api.pod-port-name"));
  }
}
