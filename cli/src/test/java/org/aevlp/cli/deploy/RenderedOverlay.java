package org.aevlp.cli.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The objects {@code kubectl kustomize k8s/overlays/NAME} renders, as typed fabric8 objects. */
record RenderedOverlay(String name, List<HasMetadata> objects) {

  static RenderedOverlay render(Kubectl kubectl, Path repositoryRoot, String overlay)
      throws IOException, InterruptedException {
    String yaml = kubectl.kustomize(repositoryRoot.resolve("k8s/overlays").resolve(overlay));
    return new RenderedOverlay(overlay, parse(yaml));
  }

  @SuppressWarnings("unchecked")
  private static List<HasMetadata> parse(String yaml) {
    Object parsed = new KubernetesSerialization().unmarshal(yaml);
    if (parsed instanceof KubernetesResourceList<?> list) {
      return List.copyOf((List<HasMetadata>) list.getItems());
    }
    if (parsed instanceof List<?> list) {
      return List.copyOf((List<HasMetadata>) list);
    }
    return List.of((HasMetadata) parsed);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<HasMetadata> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
  }

  <T extends HasMetadata> Optional<T> named(Class<T> type, String objectName) {
    return all(type).stream().filter(o -> objectName.equals(o.getMetadata().getName())).findFirst();
  }

  /** Every Deployment and StatefulSet with its selector and pod template. */
  List<Workload> workloads() {
    List<Workload> workloads = new ArrayList<>();
    for (Deployment d : all(Deployment.class)) {
      workloads.add(new Workload("Deployment", d.getMetadata().getName(), d.getSpec().getSelector(),
          d.getSpec().getTemplate()));
    }
    for (StatefulSet s : all(StatefulSet.class)) {
      workloads.add(new Workload("StatefulSet", s.getMetadata().getName(), s.getSpec().getSelector(),
          s.getSpec().getTemplate()));
    }
    return workloads;
  }

  Workload workload(String kind, String workloadName) {
    return workloads().stream()
        .filter(w -> w.kind().equals(kind) && w.name().equals(workloadName))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + ": no " + kind + " " + workloadName));
  }
}
