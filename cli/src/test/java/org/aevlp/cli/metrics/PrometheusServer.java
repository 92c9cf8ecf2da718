package org.aevlp.cli.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (the {@code prometheus} binary, e.g. Debian's package) run as a child
 * process on loopback, scraping given targets every second, with its HTTP API for queries.
 */
final class PrometheusServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.base = "http://127.0.0.1:" + port;
  }

  /** The {@code prometheus} executable on the PATH, or /usr/bin/prometheus. */
  static Optional<Path> findBinary() {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, "prometheus"));
        }
      }
    }
    candidates.add(Path.of("/usr/bin/prometheus"));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /**
   * Writes {@code prometheus.yml} under {@code dir} with one job per entry of {@code jobs} (job name
   * to {@code host:port} of a {@code /metrics} endpoint), scraped every second, and starts the
   * server on a free loopback port with its storage under {@code dir}.
   */
  static PrometheusServer start(Path binary, Path dir, Map<String, String> jobs) throws IOException {
    StringBuilder config = new StringBuilder("""
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
        """);
    jobs.forEach((job, target) -> config.append("""
          - job_name: %s
            metrics_path: /metrics
            static_configs:
              - targets: ["%s"]
        """.formatted(job, target)));
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config.toString());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = dir.resolve("prometheus.log");
    Process process = new ProcessBuilder(binary.toString(), "--config.file=" + file,
        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    return new PrometheusServer(process, log, port);
  }

  /** Waits until the server answers /-/ready; fails with its log when it exits or does not. */
  void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("prometheus not ready after " + timeout + ":\n" + log());
  }

  /** Waits until every scrape target is up, naming the ones that are not. */
  void awaitTargetsUp(int expected, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      JsonNode active = api("/api/v1/targets").path("data").path("activeTargets");
      int up = 0;
      StringBuilder states = new StringBuilder();
      for (JsonNode target : active) {
        if (target.path("health").asText().equals("up")) {
          up++;
        }
        states.append(target.path("scrapeUrl").asText()).append('=').append(target.path("health").asText())
            .append(' ').append(target.path("lastError").asText()).append('\n');
      }
      if (up == expected) {
        return;
      }
      last = states.toString();
      Thread.sleep(250);
    }
    throw new IllegalStateException("scrape targets not up after " + timeout + ":\n" + last);
  }

  /** An instant query's response ({@code /api/v1/query}). */
  JsonNode query(String promql) throws IOException, InterruptedException {
    return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** Metric names Prometheus has stored. */
  List<String> metricNames() throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    api("/api/v1/label/__name__/values").path("data").forEach(n -> names.add(n.asText()));
    return names;
  }

  private JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = get(pathAndQuery);
    JsonNode body = JSON.readTree(response.body());
    if (body == null || !body.isObject()) {
      throw new IOException("prometheus answered " + pathAndQuery + " with HTTP " + response.statusCode() + ": "
          + response.body());
    }
    return body;
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(10)).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The server's output so far. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
