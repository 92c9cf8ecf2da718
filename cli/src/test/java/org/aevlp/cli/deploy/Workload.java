package org.aevlp.cli.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.Map;
import java.util.Objects;

/** A Deployment or StatefulSet reduced to what the manifest checks look at. */
record Workload(String kind, String name, LabelSelector selector, PodTemplateSpec template) {

  Map<String, String> podLabels() {
    Map<String, String> labels = template.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  Map<String, String> podAnnotations() {
    Map<String, String> annotations = template.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  /** Whether {@code selector} (matchLabels only; expressions are rejected) selects this workload's pods. */
  boolean podsMatch(Map<String, String> matchLabels) {
    return matchLabels != null && !matchLabels.isEmpty()
        && matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(podLabels().get(e.getKey())));
  }

  /** Whether some container of the pod declares {@code port}, by name or by number. */
  boolean declaresPort(IntOrString port) {
    return template.getSpec().getContainers().stream().anyMatch(c -> declaresPort(c, port));
  }

  static boolean declaresPort(Container container, IntOrString port) {
    for (ContainerPort declared : container.getPorts()) {
      boolean byName = port.getStrVal() != null && port.getStrVal().equals(declared.getName());
      boolean byNumber = port.getIntVal() != null && Objects.equals(port.getIntVal(), declared.getContainerPort());
      if (byName || byNumber) {
        return true;
      }
    }
    return false;
  }

  String describe() {
    return kind + " " + name;
  }
}
