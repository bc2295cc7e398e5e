package dev.aigis.model;

import dev.aigis.model.gateway.Listener;
import java.util.List;

/** gateway.networking.k8s.io/v1 Gateway: the listeners Aigis binds. */
public record Gateway(ObjectMeta metadata, SourceRef source, String gatewayClassName, List<Listener> listeners)
    implements Resource {

  public static final String API_VERSION = "gateway.networking.k8s.io/v1";
  public static final String KIND = "Gateway";

  public Gateway {
    listeners = listeners == null ? List.of() : List.copyOf(listeners);
  }

  @Override
  public String kind() {
    return KIND;
  }
}
