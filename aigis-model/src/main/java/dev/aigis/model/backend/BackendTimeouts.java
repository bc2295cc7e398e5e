package dev.aigis.model.backend;

import java.time.Duration;

/**
 * Upstream timeouts. {@code connect}: TCP+TLS set-up; {@code response}: until response headers arrive;
 * {@code idle}: longest silence between body chunks (streams included). Null fields take the defaults.
 */
public record BackendTimeouts(Duration connect, Duration response, Duration idle) {

  public static final BackendTimeouts DEFAULTS =
      new BackendTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofSeconds(300));

  public BackendTimeouts withDefaults() {
    return new BackendTimeouts(
        connect == null ? DEFAULTS.connect : connect,
        response == null ? DEFAULTS.response : response,
        idle == null ? DEFAULTS.idle : idle);
  }
}
