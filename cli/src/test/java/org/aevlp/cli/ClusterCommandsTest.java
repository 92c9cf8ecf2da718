package org.aevlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.aevlp.common.grpc.GrpcSecurity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClusterCommandsTest {

  @TempDir Path dir;

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
  void aLabelerWithAMalformedSeedNodeIsAUsageErrorNamingTheOption() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "labeler", "--dataset", "synthetic", "--data-dir", dir.toString(), "--seed-nodes",
        "localhost"));
    assertTrue(err.toString().contains("seed-nodes: expected host:port"), err.toString());
  }

  @Test
  void labelerAndWorkerHelpExplainClusterDiscoveryOfLabelers() {
    StringWriter labeler = new StringWriter();
    CommandLine labelerCommand = AevlpCommand.newCommandLine();
    labelerCommand.setOut(new PrintWriter(labeler));
    assertEquals(0, labelerCommand.execute("labeler", "--help"));
    for (String expected : new String[] {"--seed-nodes", "--discovery", "--host", "--cluster-port", "role labeler",
        "Receptionist", "supervisor restarts it"}) {
      assertTrue(labeler.toString().replaceAll("\\s+", " ").contains(expected), expected + " in:\n" + labeler);
    }
    StringWriter worker = new StringWriter();
    CommandLine workerCommand = AevlpCommand.newCommandLine();
    workerCommand.setOut(new PrintWriter(worker));
    assertEquals(0, workerCommand.execute("worker", "--help"));
    assertTrue(worker.toString().replaceAll("\\s+", " ").contains("the labelers that joined the cluster"),
        worker.toString());
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

  @Test
  void serversAndWorkersTakeTheSecurityOptionsAndDocumentTheTokenVariable() {
    for (String command : new String[] {"coordinator", "worker", "labeler"}) {
      StringWriter out = new StringWriter();
      CommandLine commandLine = AevlpCommand.newCommandLine();
      commandLine.setOut(new PrintWriter(out));
      assertEquals(0, commandLine.execute(command, "--help"), command);
      for (String option : new String[] {"--tls-cert", "--tls-key", "--tls-ca", "--token-file", "AEVLP_TOKEN"}) {
        assertTrue(out.toString().contains(option), command + " " + option);
      }
    }
  }

  @Test
  void aLabelerThatIsNeitherHostPortNorAGrpcTargetIsAUsageError() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "worker", "--seed-nodes", "127.0.0.1:2551", "--labeler", "aevlp-labeler"));
    assertTrue(err.toString().contains("--labeler: expected host:port or a gRPC target such as dns:///host:port, got"
        + " 'aevlp-labeler'"), err.toString());
  }

  @Test
  void anUnreadableTokenFileOrAHalfTlsPairIsAUsageErrorNamingIt() {
    Path missing = dir.resolve("no-token");
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "worker", "--seed-nodes", "127.0.0.1:2551", "--token-file", missing.toString()));
    assertTrue(err.toString().contains("--token-file: token file " + missing + " cannot be read"), err.toString());

    StringWriter coordinatorErr = new StringWriter();
    assertEquals(2, run(coordinatorErr, "coordinator", "--config", "spec.json", "--run-dir", dir.toString(),
        "--tls-cert", "tls.crt"));
    assertTrue(coordinatorErr.toString().contains("--tls-cert with --tls-key"), coordinatorErr.toString());
  }

  @Test
  void theTokenFileWinsOverTheEnvironmentAndTheEnvironmentIsTheDefault() throws IOException {
    Path tokenFile = Files.writeString(dir.resolve("token"), "from-file\n");
    CommandLine withFile = new CommandLine(new WorkerCommand());
    withFile.parseArgs("--token-file", tokenFile.toString(), "--tls-ca", "ca.pem");
    GrpcSecurity fromFile = ((WorkerCommand) withFile.getCommand()).security.security(
        Map.of(GrpcSecurity.TOKEN_ENV, "from-env"));
    assertEquals(Optional.of("from-file"), fromFile.token());
    assertEquals(Optional.of(Path.of("ca.pem")), fromFile.tls().orElseThrow().trustedCa());

    CommandLine withoutFile = new CommandLine(new WorkerCommand());
    withoutFile.parseArgs();
    assertEquals(GrpcSecurity.none().withToken("from-env"), ((WorkerCommand) withoutFile.getCommand()).security
        .security(Map.of(GrpcSecurity.TOKEN_ENV, "from-env")));
  }
}
