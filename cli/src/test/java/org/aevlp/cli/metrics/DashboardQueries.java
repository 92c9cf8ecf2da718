package org.aevlp.cli.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL a Grafana dashboard JSON runs: every panel target's {@code expr} (rows' nested panels
 * included) and every query variable's {@code label_values(...)}, with Grafana's variables replaced
 * as Grafana would for a one-second scrape: {@code $__rate_interval} by 30s, {@code $__interval} by
 * 15s, {@code $__range} by 1h, and template variables by their "All" value {@code .*}.
 */
record DashboardQueries(String dashboard, List<Query> panels, List<Query> variables) {

  /** One query with where it comes from. */
  record Query(String source, String expr) {}

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

  static DashboardQueries read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<Query> panels = new ArrayList<>();
    collect(root.path("panels"), panels);
    List<Query> variables = new ArrayList<>();
    for (JsonNode variable : root.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        String definition = variable.path("query").isObject()
            ? variable.path("query").path("query").asText() : variable.path("query").asText();
        Matcher m = LABEL_VALUES.matcher(definition);
        if (!m.matches()) {
          throw new IllegalArgumentException(file + ": variable " + variable.path("name").asText()
              + ": expected label_values(selector, label), got " + definition);
        }
        // The PromQL whose result carries the label's values.
        variables.add(new Query("variable " + variable.path("name").asText(),
            substitute("count by (" + m.group(2) + ") (" + m.group(1) + ")")));
      }
    }
    return new DashboardQueries(file.getFileName().toString(), panels, variables);
  }

  private static void collect(JsonNode panels, List<Query> out) {
    for (JsonNode panel : panels) {
      collect(panel.path("panels"), out);
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        if (expr.isBlank()) {
          throw new IllegalArgumentException("panel '" + panel.path("title").asText() + "' target "
              + target.path("refId").asText() + " has no expr");
        }
        out.add(new Query("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
            substitute(expr)));
      }
    }
  }

  static String substitute(String expr) {
    String fixed = expr.replace("$__rate_interval", "30s").replace("${__rate_interval}", "30s")
        .replace("$__interval", "15s").replace("${__interval}", "15s")
        .replace("$__range", "1h").replace("${__range}", "1h");
    return VARIABLE.matcher(fixed).replaceAll(".*");
  }
}
