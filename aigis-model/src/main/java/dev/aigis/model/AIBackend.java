package dev.aigis.model;

import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.backend.BackendTimeouts;
import dev.aigis.model.backend.Credentials;

/**
 * aigis.dev/v1alpha1 AIBackend: an AI service Aigis sends requests to. {@code credentials},
 * {@code modelNameOverride} and {@code timeouts} are nullable.
 */
public record AIBackend(
    ObjectMeta metadata,
    SourceRef source,
    ApiSchema schema,
    BackendEndpoint endpoint,
    Credentials credentials,
    String modelNameOverride,
    boolean forwardClientAuthorization,
    BackendTimeouts timeouts)
    implements Resource {

  public static final String API_VERSION = "aigis.dev/v1alpha1";
  public static final String KIND = "AIBackend";

  @Override
  public String kind() {
    return KIND;
  }
}
