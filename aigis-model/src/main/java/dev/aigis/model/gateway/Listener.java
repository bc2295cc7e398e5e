package dev.aigis.model.gateway;

import dev.aigis.model.route.ObjectReference;
import java.util.List;

/**
 * A Gateway listener. {@code hostname} (nullable) restricts which request hosts it accepts and may
 * start with {@code *.}; {@code tls} is required for {@link Protocol#HTTPS}.
 */
public record Listener(String name, int port, Protocol protocol, String hostname, ListenerTls tls) {

  public enum Protocol { HTTP, HTTPS }

  /** TLS termination with certificates from Secrets of type kubernetes.io/tls. */
  public record ListenerTls(String mode, List<ObjectReference> certificateRefs) {
    public ListenerTls {
      mode = mode == null ? "Terminate" : mode;
      certificateRefs = certificateRefs == null ? List.of() : List.copyOf(certificateRefs);
    }
  }
}
