package dev.aigis.model.snapshot;

import dev.aigis.model.AIBackend;
import dev.aigis.model.backend.BackendTimeouts;
import dev.aigis.model.backend.ServiceAccountKey;

/**
 * An AIBackend whose credentials have been read from their Secret or environment variable.
 * {@code apiKey} is null when the backend has no credentials. For GCPVertexAI the credential is a
 * service-account key JSON, parsed into {@code serviceAccount} ({@code apiKey} is then null).
 * {@link #toString()} never prints either.
 */
public record ResolvedBackend(AIBackend backend, String apiKey, BackendTimeouts timeouts, ServiceAccountKey serviceAccount) {

  public ResolvedBackend(AIBackend backend, String apiKey, BackendTimeouts timeouts) {
    this(backend, apiKey, timeouts, null);
  }

  public String key() {
    return backend.metadata().qualifiedName();
  }

  @Override
  public String toString() {
    return "ResolvedBackend[" + key() + ", apiKey=" + (apiKey == null ? "none" : "redacted")
        + (serviceAccount == null ? "" : ", serviceAccount=redacted") + "]";
  }
}
