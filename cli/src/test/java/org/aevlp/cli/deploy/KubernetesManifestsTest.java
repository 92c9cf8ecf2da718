package org.aevlp.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.aevlp.cli.AevlpCommandLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Renders k8s/overlays/cpu and gpu with the real {@code kubectl kustomize} and checks that the
 * objects fit together (DESIGN §8): selectors, ports, probes, the aevlp command lines, Cluster
 * Bootstrap (cli's aevlp-kubernetes.conf), RBAC, the token Secret, monitoring, dashboards, GPUs.
 */
class KubernetesManifestsTest {

  private static final String GPU = "nvidia.com/gpu";
  private static final Set<String> CLUSTER_MEMBER_COMMANDS = Set.of("coordinator", "worker");
  private static final Map<String, RenderedOverlay> RENDERED = new ConcurrentHashMap<>();

  private static RenderedOverlay overlay(String name) {
    RenderedOverlay cached = RENDERED.get(name);
    if (cached != null) {
      return cached;
    }
    Kubectl kubectl = Kubectl.onPathOrSkip();
    try {
      RenderedOverlay rendered = RenderedOverlay.render(kubectl, RepositoryRoot.find(), name);
      RENDERED.put(name, rendered);
      return rendered;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void workloadSelectorsMatchTheirPodTemplates(String name) {
    RenderedOverlay overlay = overlay(name);
    assertFalse(overlay.workloads().isEmpty(), name + ": no Deployment or StatefulSet rendered");
    for (Workload w : overlay.workloads()) {
      assertTrue(w.selector().getMatchExpressions() == null || w.selector().getMatchExpressions().isEmpty(),
          name + ": " + w.describe() + ": selector uses matchExpressions, which this test does not evaluate");
      assertTrue(w.podsMatch(w.selector().getMatchLabels()),
          name + ": " + w.describe() + ": selector " + w.selector().getMatchLabels()
              + " does not match its pod template labels " + w.podLabels());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void servicesSelectOneWorkloadAndTargetItsDeclaredPorts(String name) {
    RenderedOverlay overlay = overlay(name);
    for (Service service : overlay.all(Service.class)) {
      String where = name + ": Service " + service.getMetadata().getName();
      List<Workload> selected = selectedBy(overlay, service.getSpec().getSelector());
      // each Service fronts one component: two would mean a selector too broad (e.g. app=aevlp alone)
      assertEquals(1, selected.size(), where + ": selector " + service.getSpec().getSelector()
          + " selects " + selected.stream().map(Workload::describe).toList());
      for (ServicePort port : service.getSpec().getPorts()) {
        IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
        assertTrue(selected.get(0).declaresPort(target), where + ": port " + port.getName() + " targets "
            + describe(target) + ", which " + selected.get(0).describe() + " does not declare");
      }
    }
    for (StatefulSet set : overlay.all(StatefulSet.class)) {
      Optional<Service> governing = overlay.named(Service.class, set.getSpec().getServiceName());
      assertTrue(governing.isPresent(), name + ": StatefulSet " + set.getMetadata().getName()
          + ": serviceName " + set.getSpec().getServiceName() + " is not a rendered Service");
      assertEquals("None", governing.get().getSpec().getClusterIP(),
          name + ": the governing Service of a StatefulSet must be headless");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void labelersSitBehindAHeadlessServiceForClientSideRoundRobin(String name) {
    RenderedOverlay overlay = overlay(name);
    Workload labeler = workloadRunning(overlay, "labeler");
    List<Service> fronting = overlay.all(Service.class).stream()
        .filter(s -> labeler.podsMatch(s.getSpec().getSelector()))
        .toList();
    assertEquals(1, fronting.size(), name + ": Services in front of the labelers");
    assertEquals("None", fronting.get(0).getSpec().getClusterIP(),
        name + ": a ClusterIP Service would pin each worker's gRPC connection to one labeler");
    String target = "dns:///" + fronting.get(0).getMetadata().getName() + "." + ContainerArgs.SAMPLE_NAMESPACE + ".svc.cluster.local:"
        + fronting.get(0).getSpec().getPorts().stream().filter(p -> "grpc".equals(p.getName()))
            .findFirst().orElseThrow().getPort();
    List<String> workerArgs = ContainerArgs.expand(onlyContainer(workloadRunning(overlay, "worker")));
    assertEquals(target, valueOf(workerArgs, "--labeler"),
        name + ": workers should reach every labeler pod through the headless Service's name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void disruptionBudgetsCoverEveryWorkloadOnce(String name) {
    RenderedOverlay overlay = overlay(name);
    Map<String, Integer> budgets = new HashMap<>();
    for (PodDisruptionBudget pdb : overlay.all(PodDisruptionBudget.class)) {
      List<Workload> selected = selectedBy(overlay, pdb.getSpec().getSelector().getMatchLabels());
      assertEquals(1, selected.size(), name + ": PodDisruptionBudget " + pdb.getMetadata().getName()
          + " selects " + selected.stream().map(Workload::describe).toList());
      budgets.merge(selected.get(0).describe(), 1, Integer::sum);
    }
    for (Workload w : overlay.workloads()) {
      assertEquals(1, budgets.getOrDefault(w.describe(), 0), name + ": PodDisruptionBudgets of " + w.describe());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void containerArgsAreAcceptedByTheAevlpCommandLine(String name) {
    RenderedOverlay overlay = overlay(name);
    List<String> rejected = new ArrayList<>();
    for (Workload w : overlay.workloads()) {
      for (Container c : w.template().getSpec().getContainers()) {
        List<String> args = ContainerArgs.expand(c);
        rejection(args).ifPresent(why ->
            rejected.add(w.describe() + " container " + c.getName() + " " + args + ": " + why));
      }
    }
    assertTrue(rejected.isEmpty(), name + ": the aevlp parser rejects container args:\n  "
        + String.join("\n  ", rejected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void portFlagsInArgsAreDeclaredContainerPorts(String name) {
    for (Workload w : overlay(name).workloads()) {
      for (Container c : w.template().getSpec().getContainers()) {
        List<String> args = ContainerArgs.expand(c);
        for (int i = 0; i + 1 < args.size(); i++) {
          if (args.get(i).startsWith("--") && args.get(i).endsWith("port")) {
            IntOrString port = new IntOrString(Integer.parseInt(args.get(i + 1)));
            assertTrue(Workload.declaresPort(c, port), name + ": " + w.describe() + " container " + c.getName()
                + ": " + args.get(i) + " " + args.get(i + 1) + " is not a declared container port");
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void probesPointAtPortsTheContainerDeclares(String name) {
    for (Workload w : overlay(name).workloads()) {
      for (Container c : w.template().getSpec().getContainers()) {
        Map<String, Probe> probes = new HashMap<>();
        probes.put("startupProbe", c.getStartupProbe());
        probes.put("readinessProbe", c.getReadinessProbe());
        probes.put("livenessProbe", c.getLivenessProbe());
        for (Map.Entry<String, Probe> e : probes.entrySet()) {
          String where = name + ": " + w.describe() + " container " + c.getName() + " " + e.getKey();
          assertNotNull(e.getValue(), where + " is missing");
          IntOrString port = probePort(e.getValue(), where);
          assertTrue(Workload.declaresPort(c, port), where + " probes " + describe(port)
              + ", which the container does not declare");
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void grpcServersAreProbedWithGrpcHealthOnTheirServingPort(String name) {
    RenderedOverlay overlay = overlay(name);
    Map<String, String> servingFlag = Map.of("coordinator", "--grpc-port", "labeler", "--port");
    for (Map.Entry<String, String> e : servingFlag.entrySet()) {
      Container c = onlyContainer(workloadRunning(overlay, e.getKey()));
      int serving = Integer.parseInt(valueOf(ContainerArgs.expand(c), e.getValue()));
      for (Probe probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
        assertNotNull(probe.getGrpc(), name + ": " + e.getKey() + " probes should use gRPC health");
        assertEquals(serving, probe.getGrpc().getPort(), name + ": " + e.getKey() + " gRPC probe port");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void clusterMembersMatchTheBootstrapConfigAndOthersDoNot(String name) {
    Config conf = ConfigFactory.parseResources("aevlp-kubernetes.conf").resolve();
    String serviceName = conf.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name");
    Map<String, String> selector = labelSelector(
        String.format(conf.getString("pekko.discovery.kubernetes-api.pod-label-selector"), serviceName));
    String portName = conf.getString("pekko.discovery.kubernetes-api.pod-port-name");
    int managementPort = conf.getInt("pekko.management.http.port");
    RenderedOverlay overlay = overlay(name);
    for (Workload w : overlay.workloads()) {
      Container c = onlyContainer(w);
      String where = name + ": " + w.describe();
      if (!CLUSTER_MEMBER_COMMANDS.contains(c.getArgs().get(0))) {
        assertFalse(w.podsMatch(selector), where + " is no cluster member but its pods match " + selector);
        continue;
      }
      assertTrue(w.podsMatch(selector), where + ": pods " + w.podLabels() + " do not match bootstrap's " + selector);
      assertTrue(c.getPorts().stream().anyMatch(p -> portName.equals(p.getName())
              && p.getContainerPort() == managementPort),
          where + ": no container port named " + portName + " on " + managementPort);
      EnvVar podIp = c.getEnv().stream().filter(v -> "POD_IP".equals(v.getName())).findFirst()
          .orElseThrow(() -> new AssertionError(where + ": no POD_IP env (remoting and management advertise it)"));
      assertEquals("status.podIP", podIp.getValueFrom().getFieldRef().getFieldPath(), where + ": POD_IP source");
      assertEquals("kubernetes", valueOf(c.getArgs(), "--discovery"), where + ": --discovery");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void bootstrapServiceAccountMayGetWatchAndListPods(String name) {
    RenderedOverlay overlay = overlay(name);
    for (Workload w : overlay.workloads()) {
      if (!CLUSTER_MEMBER_COMMANDS.contains(onlyContainer(w).getArgs().get(0))) {
        continue;
      }
      String account = w.template().getSpec().getServiceAccountName();
      String where = name + ": " + w.describe() + " (service account " + account + ")";
      assertNotNull(account, where + ": no serviceAccountName");
      assertTrue(overlay.named(ServiceAccount.class, account).isPresent(), where + ": account not rendered");
      boolean allowed = overlay.all(RoleBinding.class).stream()
          .filter(b -> b.getSubjects().stream().anyMatch(s -> bindsAccount(s, account)))
          .filter(b -> "Role".equals(b.getRoleRef().getKind()))
          .map(b -> overlay.named(Role.class, b.getRoleRef().getName()))
          .flatMap(Optional::stream)
          .flatMap(r -> r.getRules().stream())
          .anyMatch(KubernetesManifestsTest::readsPods);
      assertTrue(allowed, where + ": no RoleBinding gives it a Role with get, watch and list on pods");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void everyContainerTakesTheTokenFromTheOptionalSecretAndNoSecretIsShipped(String name) {
    RenderedOverlay overlay = overlay(name);
    assertTrue(overlay.all(Secret.class).isEmpty(), name + ": the manifests must not carry a Secret (a token)");
    for (Workload w : overlay.workloads()) {
      for (Container c : w.template().getSpec().getContainers()) {
        EnvVar token = c.getEnv().stream().filter(v -> "AEVLP_TOKEN".equals(v.getName())).findFirst()
            .orElseThrow(() -> new AssertionError(name + ": " + w.describe() + ": no AEVLP_TOKEN env"));
        assertNull(token.getValue(), name + ": " + w.describe() + ": AEVLP_TOKEN must come from the Secret");
        var ref = token.getValueFrom().getSecretKeyRef();
        assertEquals("aevlp-token", ref.getName(), name + ": " + w.describe() + ": token Secret");
        assertEquals(Boolean.TRUE, ref.getOptional(), name + ": " + w.describe() + ": the token Secret is optional");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void everyClaimedVolumeIsARenderedClaim(String name) {
    RenderedOverlay overlay = overlay(name);
    for (Workload w : overlay.workloads()) {
      for (Volume v : w.template().getSpec().getVolumes()) {
        if (v.getPersistentVolumeClaim() != null) {
          String claim = v.getPersistentVolumeClaim().getClaimName();
          assertTrue(overlay.named(PersistentVolumeClaim.class, claim).isPresent(),
              name + ": " + w.describe() + " mounts claim " + claim + ", which is not rendered");
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void monitoringFindsEveryMetricsPort(String name) {
    RenderedOverlay overlay = overlay(name);
    List<HasMetadata> monitors = overlay.ofKind("ServiceMonitor");
    assertEquals(1, monitors.size(), name + ": ServiceMonitors");
    Map<String, Object> spec = map(((GenericKubernetesResource) monitors.get(0)).getAdditionalProperties().get("spec"));
    Map<String, Object> matchLabels = map(map(spec.get("selector")).get("matchLabels"));
    List<String> endpointPorts = ((List<?>) spec.get("endpoints")).stream()
        .map(e -> (String) map(e).get("port")).toList();
    List<Service> selected = overlay.all(Service.class).stream()
        .filter(s -> s.getMetadata().getLabels() != null
            && matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(s.getMetadata().getLabels().get(e.getKey()))))
        .toList();
    for (Service s : selected) {
      for (String port : endpointPorts) {
        assertTrue(s.getSpec().getPorts().stream().anyMatch(p -> port.equals(p.getName())),
            name + ": ServiceMonitor selects Service " + s.getMetadata().getName() + ", which has no port " + port);
      }
    }
    for (Workload w : overlay.workloads()) {
      String where = name + ": " + w.describe();
      assertTrue(selected.stream().anyMatch(s -> w.podsMatch(s.getSpec().getSelector())),
          where + " is behind no Service the ServiceMonitor selects");
      Map<String, String> annotations = w.podAnnotations();
      assertEquals("true", annotations.get("prometheus.io/scrape"), where + ": prometheus.io/scrape");
      assertEquals("/metrics", annotations.get("prometheus.io/path"), where + ": prometheus.io/path");
      ContainerPort metrics = onlyContainer(w).getPorts().stream().filter(p -> "metrics".equals(p.getName()))
          .findFirst().orElseThrow(() -> new AssertionError(where + ": no container port named metrics"));
      assertEquals(String.valueOf(metrics.getContainerPort()), annotations.get("prometheus.io/port"),
          where + ": prometheus.io/port");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void dashboardConfigMapsHoldTheDashboardFilesByteForByte(String name) throws IOException {
    List<ConfigMap> dashboards = overlay(name).all(ConfigMap.class).stream()
        .filter(m -> m.getMetadata().getLabels() != null && "1".equals(m.getMetadata().getLabels().get("grafana_dashboard")))
        .toList();
    Map<String, String> rendered = new HashMap<>();
    for (ConfigMap m : dashboards) {
      m.getData().forEach((key, value) -> assertNull(rendered.put(key, value), name + ": dashboard " + key + " twice"));
    }
    Path dir = RepositoryRoot.find().resolve("dashboards");
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no dashboards/*.json");
    assertEquals(files.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet()), rendered.keySet(),
        name + ": dashboard ConfigMap keys vs dashboards/*.json (a new dashboard needs a line in dashboards/kustomization.yaml)");
    for (Path file : files) {
      assertArrayEquals(Files.readAllBytes(file), rendered.get(file.getFileName().toString()).getBytes(StandardCharsets.UTF_8),
          name + ": ConfigMap data of " + file.getFileName() + " differs from the file");
    }
  }

  @Test
  void gpuOverlayWorkersRequestLimitAndTolerateOneGpu() {
    RenderedOverlay overlay = overlay("gpu");
    for (Workload w : overlay.workloads()) {
      Container c = onlyContainer(w);
      String where = "gpu: " + w.describe();
      if (!"worker".equals(c.getArgs().get(0))) {
        assertFalse(usesGpu(c), where + " is no worker but asks for a GPU");
        continue;
      }
      assertEquals(new Quantity("1"), c.getResources().getRequests().get(GPU), where + ": GPU request");
      assertEquals(new Quantity("1"), c.getResources().getLimits().get(GPU), where + ": GPU limit");
      List<Toleration> tolerations = w.template().getSpec().getTolerations();
      assertTrue(tolerations.stream().anyMatch(t -> GPU.equals(t.getKey()) && "Exists".equals(t.getOperator())
          && "NoSchedule".equals(t.getEffect())), where + ": no toleration of " + GPU + " Exists NoSchedule: " + tolerations);
      assertTrue(w.template().getSpec().getNodeSelector() == null || w.template().getSpec().getNodeSelector().isEmpty(),
          where + ": the GPU request places the pod; no nodeSelector");
      assertEquals("gpu", valueOf(ContainerArgs.expand(c), "--device"), where + ": --device");
    }
  }

  @Test
  void cpuOverlayAsksForNoGpuAnywhere() {
    RenderedOverlay overlay = overlay("cpu");
    for (Workload w : overlay.workloads()) {
      Container c = onlyContainer(w);
      String where = "cpu: " + w.describe();
      assertFalse(usesGpu(c), where + " asks for a GPU");
      assertTrue(w.template().getSpec().getTolerations().isEmpty(), where + ": tolerations");
      if ("worker".equals(c.getArgs().get(0))) {
        assertEquals("cpu", valueOf(ContainerArgs.expand(c), "--device"), where + ": --device");
        assertNotNull(c.getResources().getRequests().get("cpu"), where + ": CPU request");
        assertNotNull(c.getResources().getRequests().get("memory"), where + ": memory request");
      }
    }
  }

  /** Pod args are the aevlp subcommand only when the image's entry point runs the jar and no container overrides it. */
  @Test
  void imageEntryPointRunsTheJarAndContainersOnlyPassArgs() throws IOException {
    List<String> entrypoint = Files.readAllLines(RepositoryRoot.find().resolve("Dockerfile")).stream()
        .filter(l -> l.startsWith("ENTRYPOINT "))
        .reduce((first, last) -> last)
        .map(l -> Arrays.asList(readJsonArray(l.substring("ENTRYPOINT ".length()))))
        .orElseThrow(() -> new AssertionError("Dockerfile: no ENTRYPOINT in exec form"));
    assertEquals("java", entrypoint.get(0), "Dockerfile ENTRYPOINT");
    assertEquals(List.of("-jar", "/opt/aevlp/aevlp.jar"), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()),
        "Dockerfile ENTRYPOINT must end with the jar so that pod args are the aevlp subcommand");
    Set<String> subcommands = AevlpCommandLines.newCommandLine().getSubcommands().keySet();
    for (String name : List.of("cpu", "gpu")) {
      for (Workload w : overlay(name).workloads()) {
        for (Container c : w.template().getSpec().getContainers()) {
          assertTrue(c.getCommand() == null || c.getCommand().isEmpty(),
              name + ": " + w.describe() + " overrides the image's entry point");
          assertTrue(subcommands.contains(c.getArgs().get(0)),
              name + ": " + w.describe() + ": first arg " + c.getArgs().get(0) + " is no aevlp subcommand");
        }
      }
    }
  }

  /**
   * Why picocli rejects {@code args}, if it does: its own message (naming the option or value) plus
   * every argument it could not match, so that all missing flags show at once.
   */
  private static Optional<String> rejection(List<String> args) {
    String[] array = args.toArray(String[]::new);
    try {
      AevlpCommandLines.newCommandLine().parseArgs(array);
      return Optional.empty();
    } catch (CommandLine.ParameterException strict) {
      CommandLine lenient = AevlpCommandLines.newCommandLine();
      lenient.setUnmatchedArgumentsAllowed(true);
      List<String> unmatched;
      try {
        unmatched = unmatchedOf(lenient.parseArgs(array));
      } catch (CommandLine.ParameterException e) {
        // e.g. a missing required option: what the subcommand could not match is known by then
        unmatched = e.getCommandLine().getUnmatchedArguments();
      }
      return Optional.of(strict.getMessage() + (unmatched.isEmpty() ? "" : "; unknown arguments " + unmatched));
    }
  }

  private static List<String> unmatchedOf(CommandLine.ParseResult result) {
    List<String> unmatched = new ArrayList<>(result.unmatched());
    for (CommandLine.ParseResult sub = result.subcommand(); sub != null; sub = sub.subcommand()) {
      unmatched.addAll(sub.unmatched());
    }
    return unmatched;
  }

  private static List<Workload> selectedBy(RenderedOverlay overlay, Map<String, String> selector) {
    return overlay.workloads().stream().filter(w -> w.podsMatch(selector)).toList();
  }

  private static Workload workloadRunning(RenderedOverlay overlay, String subcommand) {
    List<Workload> running = overlay.workloads().stream()
        .filter(w -> subcommand.equals(onlyContainer(w).getArgs().get(0)))
        .toList();
    assertEquals(1, running.size(), overlay.name() + ": workloads running aevlp " + subcommand);
    return running.get(0);
  }

  private static Container onlyContainer(Workload w) {
    List<Container> containers = w.template().getSpec().getContainers();
    assertEquals(1, containers.size(), w.describe() + ": containers");
    return containers.get(0);
  }

  /** The value after {@code flag} in {@code args}; fails when the flag is absent. */
  private static String valueOf(List<String> args, String flag) {
    int i = args.indexOf(flag);
    if (i < 0 || i + 1 >= args.size()) {
      fail("no value for " + flag + " in " + args);
    }
    return args.get(i + 1);
  }

  private static IntOrString probePort(Probe probe, String where) {
    if (probe.getGrpc() != null) {
      return new IntOrString(probe.getGrpc().getPort());
    }
    if (probe.getHttpGet() != null) {
      return probe.getHttpGet().getPort();
    }
    if (probe.getTcpSocket() != null) {
      return probe.getTcpSocket().getPort();
    }
    throw new AssertionError(where + ": neither grpc, httpGet nor tcpSocket");
  }

  private static boolean usesGpu(Container c) {
    var resources = c.getResources();
    return resources != null
        && (resources.getRequests() != null && resources.getRequests().containsKey(GPU)
            || resources.getLimits() != null && resources.getLimits().containsKey(GPU));
  }

  private static boolean bindsAccount(Subject subject, String account) {
    return "ServiceAccount".equals(subject.getKind()) && account.equals(subject.getName());
  }

  private static boolean readsPods(PolicyRule rule) {
    return rule.getApiGroups().contains("") && rule.getResources().contains("pods")
        && rule.getVerbs().containsAll(List.of("get", "watch", "list"));
  }

  private static Map<String, String> labelSelector(String selector) {
    Map<String, String> labels = new HashMap<>();
    for (String term : selector.split(",")) {
      String[] kv = term.trim().split("=", 2);
      assertEquals(2, kv.length, "aevlp-kubernetes.conf: pod-label-selector term '" + term + "' is not key=value");
      labels.put(kv[0], kv[1]);
    }
    return labels;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertTrue(value instanceof Map, "expected a mapping, got " + value);
    return (Map<String, Object>) value;
  }

  private static String[] readJsonArray(String json) {
    try {
      return new ObjectMapper().readValue(json, String[].class);
    } catch (IOException e) {
      throw new AssertionError("Dockerfile ENTRYPOINT is not a JSON array: " + json, e);
    }
  }

  private static String describe(IntOrString port) {
    return port.getStrVal() != null ? "port '" + port.getStrVal() + "'" : "port " + port.getIntVal();
  }
}
