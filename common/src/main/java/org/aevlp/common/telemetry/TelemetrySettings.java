package org.aevlp.common.telemetry;

/**
 * Where and as whom a process exports its metrics (DESIGN.md §8).
 *
 * @param role process role, a common tag on every meter (e.g. {@code coordinator}, {@code worker},
 *     {@code labeler})
 * @param instance this process among those of its role, the common tag {@code process} on every
 *     meter (e.g. the pod name)
 * @param bindAddress address to listen on; {@code null} or empty for all interfaces
 * @param port port of the {@code /metrics} endpoint, 0 for any free port (see {@link
 *     Telemetry#port()})
 */
public record TelemetrySettings(String role, String instance, String bindAddress, int port) {

  public TelemetrySettings {
    if (role == null || role.isBlank()) {
      throw new IllegalArgumentException("telemetry role must not be blank");
    }
    if (instance == null || instance.isBlank()) {
      throw new IllegalArgumentException("telemetry instance must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("telemetry port must be in [0, 65535], got " + port);
    }
    bindAddress = bindAddress == null ? "" : bindAddress.strip();
  }

  /** Listens on all interfaces. */
  public static TelemetrySettings of(String role, String instance, int port) {
    return new TelemetrySettings(role, instance, "", port);
  }

  /**
   * Listens on all interfaces, named after the host ({@code HOSTNAME}, the pod name in Kubernetes),
   * or after the role where that is unset.
   */
  public static TelemetrySettings forThisHost(String role, int port) {
    String host = System.getenv("HOSTNAME");
    return of(role, host == null || host.isBlank() ? role : host, port);
  }
}
