package org.aevlp.common.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.config.ExporterHttpServerProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's metrics: a Micrometer {@link PrometheusMeterRegistry} with JVM and system meters
 * bound and the common tags {@code role} and {@code process} (the settings' instance name), served in the Prometheus text format
 * at {@code /metrics} by the prometheus-metrics {@link HTTPServer} (DESIGN.md §8).
 *
 * <p>Micrometer's registry keeps its meters in a prometheus-metrics {@code PrometheusRegistry}
 * ({@link PrometheusMeterRegistry#getPrometheusRegistry()}); the HTTP server scrapes that registry
 * directly, so every meter registered on {@link #registry()} appears at the endpoint. Meter names
 * follow Micrometer's Prometheus convention: {@code aevlp.steps} as a counter is exported as {@code
 * aevlp_steps_total}, base units are added as suffixes ({@code _seconds}, {@code _bytes}).
 *
 * <p>The server also answers {@code /-/healthy}. Its threads are daemons; {@link #close()} stops it
 * and releases the JVM meters.
 */
public final class Telemetry implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;
  private final HTTPServer server;

  private Telemetry(PrometheusMeterRegistry registry, JvmGcMetrics gcMetrics, HTTPServer server) {
    this.registry = registry;
    this.gcMetrics = gcMetrics;
    this.server = server;
  }

  /**
   * Creates the registry and starts serving {@code /metrics}.
   *
   * @throws BindException if the port is taken (or the address is not local); the message names
   *     the address and port
   * @throws IOException if the server cannot start for another reason
   */
  public static Telemetry start(TelemetrySettings settings) throws IOException {
    if (settings == null) {
      throw new IllegalArgumentException("telemetry settings must not be null");
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Common tags apply to meters registered after this call, so set them before binding any.
    // Not "instance": Prometheus sets that target label itself and would rename ours exported_instance.
    registry.config().commonTags("role", settings.role(), "process", settings.instance());
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    warnIfPortOverridden(settings.port());
    try {
      HTTPServer.Builder builder =
          HTTPServer.builder().port(settings.port()).registry(registry.getPrometheusRegistry());
      if (!settings.bindAddress().isEmpty()) {
        builder.hostname(settings.bindAddress());
      }
      return new Telemetry(registry, gcMetrics, builder.buildAndStart());
    } catch (BindException e) {
      gcMetrics.close();
      registry.close();
      String address = settings.bindAddress().isEmpty() ? "*" : settings.bindAddress();
      // The JDK's message ("Address already in use", "Cannot assign requested address") names no
      // port; add it so the operator knows which setting to change.
      BindException named =
          new BindException(
              "metrics endpoint cannot bind port "
                  + settings.port()
                  + " on "
                  + address
                  + ":"
                  + settings.port()
                  + ": "
                  + e.getMessage());
      named.initCause(e);
      throw named;
    } catch (IOException | RuntimeException e) {
      gcMetrics.close();
      registry.close();
      throw e;
    }
  }

  /**
   * prometheus-metrics lets {@code io.prometheus.exporter.httpServer.port} (system property or
   * {@code prometheus.properties}) win over the port given to its builder; say so when that
   * happens, as {@link #port()} will then differ from the settings.
   */
  private static void warnIfPortOverridden(int requested) {
    ExporterHttpServerProperties props =
        PrometheusProperties.get().getExporterHttpServerProperties();
    Integer override = props == null ? null : props.getPort();
    if (override != null && override != requested) {
      LOG.warn(
          "metrics port {} requested but io.prometheus.exporter.httpServer.port={} takes"
              + " precedence",
          requested,
          override);
    }
  }

  /** The registry to register this process's meters on. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The registry with its Prometheus-specific API (e.g. {@code scrape()}). */
  public PrometheusMeterRegistry prometheusRegistry() {
    return registry;
  }

  /** The port {@code /metrics} is served on (the chosen one when the settings asked for 0). */
  public int port() {
    return server.getPort();
  }

  /** Stops the endpoint and releases the JVM meters. */
  @Override
  public void close() {
    server.close();
    gcMetrics.close();
    registry.close();
  }
}
