package org.aevlp.cli.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's args as the process receives them: Kubernetes replaces {@code $(NAME)} with the
 * value of the container's env variable NAME. Literal values are used as they are; values the
 * kubelet fills in (downward API, secrets) get a sample of the right shape.
 */
final class ContainerArgs {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
  /** What {@code metadata.namespace} expands to. */
  static final String SAMPLE_NAMESPACE = "aevlp-test";

  private static final Map<String, String> SAMPLE_FIELDS = Map.of(
      "status.podIP", "10.244.1.7",
      "metadata.namespace", SAMPLE_NAMESPACE,
      "metadata.name", "aevlp-worker-0");

  private ContainerArgs() {}

  /** The expanded args; a reference to a variable the container does not define is an error (Kubernetes would pass it on literally). */
  static List<String> expand(Container container) {
    Map<String, String> env = values(container);
    List<String> expanded = new ArrayList<>();
    for (String arg : container.getArgs()) {
      Matcher m = REFERENCE.matcher(arg);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value = env.get(m.group(1));
        if (value == null) {
          throw new AssertionError("container " + container.getName() + ": arg '" + arg + "' refers to $("
              + m.group(1) + "), which is not in the container's env");
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      expanded.add(out.toString());
    }
    return expanded;
  }

  private static Map<String, String> values(Container container) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), valueOf(container, var));
    }
    return env;
  }

  private static String valueOf(Container container, EnvVar var) {
    if (var.getValueFrom() == null) {
      return var.getValue() == null ? "" : var.getValue();
    }
    if (var.getValueFrom().getFieldRef() != null) {
      String field = var.getValueFrom().getFieldRef().getFieldPath();
      String sample = SAMPLE_FIELDS.get(field);
      if (sample == null) {
        throw new AssertionError("container " + container.getName() + ": env " + var.getName()
            + " uses fieldRef " + field + ", which this test has no sample for");
      }
      return sample;
    }
    return "sample-" + var.getName().toLowerCase(Locale.ROOT);
  }
}
