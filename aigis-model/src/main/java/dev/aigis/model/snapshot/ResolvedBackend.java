package dev.aigis.model.snapshot;

import dev.aigis.model.AIBackend;
import dev.aigis.model.backend.BackendTimeouts;

/**
 * An AIBackend whose credentials have been read from their Secret or environment variable.
 * {@code apiKey} is null when the backend has no credentials. {@link #toString()} never prints the key.
 */
public record ResolvedBackend(AIBackend backend, String apiKey, BackendTimeouts timeouts) {

  public String key() {
    return backend.metadata().qualifiedName();
  }

  @Override
  public String toString() {
    return "ResolvedBackend[" + key() + ", apiKey=" + (apiKey == null ? "none" : "redacted") + "]";
  }
}
