package org.aevlp.common.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsAreServedOverHttpWithJvmMetersAndCommonTags() throws Exception {
    try (Telemetry telemetry =
        Telemetry.start(new TelemetrySettings("worker", "worker-7", "127.0.0.1", 0))) {
      assertTrue(telemetry.port() > 0, "an ephemeral port was bound");
      Counter events =
          Counter.builder("aevlp_test_events")
              .description("test events")
              .register(telemetry.registry());
      events.increment();
      events.increment(2);

      HttpResponse<String> response = get(telemetry.port(), "/metrics");
      assertEquals(200, response.statusCode());
      assertTrue(
          response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
          response.headers().toString());
      List<String> lines = response.body().lines().toList();
      String counter =
          lines.stream()
              .filter(l -> l.startsWith("aevlp_test_events_total{"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "no aevlp_test_events_total sample in\n" + response.body()));
      assertTrue(counter.contains("role=\"worker\""), counter);
      assertTrue(counter.contains("process=\"worker-7\""), counter);
      assertFalse(counter.contains("instance="), "Prometheus owns the instance label: " + counter);
      assertEquals(3.0, Double.parseDouble(counter.substring(counter.lastIndexOf(' ') + 1)));
      assertTrue(
          lines.stream()
              .anyMatch(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\"")),
          "JVM memory meters are bound");
      for (String family :
          List.of(
              "jvm_gc_",
              "jvm_threads_live_threads",
              "jvm_classes_loaded_classes",
              "system_cpu_count",
              "process_uptime_seconds")) {
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(family)), family + " is exported");
      }
      assertEquals(200, get(telemetry.port(), "/-/healthy").statusCode());
    }
  }

  @Test
  void portAlreadyInUseIsReportedWithThePort() throws IOException {
    try (Telemetry first =
        Telemetry.start(new TelemetrySettings("coordinator", "c0", "127.0.0.1", 0))) {
      int taken = first.port();
      BindException e =
          assertThrows(
              BindException.class,
              () -> Telemetry.start(new TelemetrySettings("worker", "w0", "127.0.0.1", taken)));
      assertTrue(e.getMessage().contains("cannot bind port " + taken), e.getMessage());
      assertTrue(e.getMessage().contains("already in use"), e.getMessage());
      assertTrue(e.getMessage().contains("127.0.0.1:" + taken), e.getMessage());
    }
  }

  @Test
  void closeStopsTheEndpoint() throws Exception {
    Telemetry telemetry = Telemetry.start(new TelemetrySettings("labeler", "l0", "127.0.0.1", 0));
    int port = telemetry.port();
    assertEquals(200, get(port, "/metrics").statusCode());
    telemetry.close();
    assertThrows(ConnectException.class, () -> get(port, "/metrics"));
  }

  @Test
  void settingsAreValidated() {
    IllegalArgumentException port =
        assertThrows(
            IllegalArgumentException.class, () -> TelemetrySettings.of("worker", "w", 70_000));
    assertTrue(port.getMessage().contains("telemetry port"), port.getMessage());
    IllegalArgumentException role =
        assertThrows(IllegalArgumentException.class, () -> TelemetrySettings.of(" ", "w", 0));
    assertTrue(role.getMessage().contains("role"), role.getMessage());
  }
}
