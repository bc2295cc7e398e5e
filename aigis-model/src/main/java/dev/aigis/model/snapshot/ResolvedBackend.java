package dev.aigis.model.snapshot;

import dev.aigis.model.AIBackend;
import dev.aigis.model.backend.AwsCredentials;
import dev.aigis.model.backend.BackendTimeouts;
import dev.aigis.model.backend.ServiceAccountKey;

/**
 * An AIBackend whose credentials have been read from their Secret or environment variable.
 * {@code apiKey} is null when the backend has no key (no credentials, an AWSBedrock backend, or a
 * GCPVertexAI backend); {@code aws} is set for AWSBedrock backends only; {@code serviceAccount} is
 * the parsed service-account key of GCPVertexAI backends only; {@code egress} is set when the backend
 * connects through an XBackend ({@code spec.backendRef}), whose hostname and port its endpoint then holds. {@link #toString()} never prints a
 * secret.
 */
public record ResolvedBackend(
    AIBackend backend, String apiKey, BackendTimeouts timeouts, AwsCredentials aws, ServiceAccountKey serviceAccount,
    EgressTarget egress) {

  public ResolvedBackend(
      AIBackend backend, String apiKey, BackendTimeouts timeouts, AwsCredentials aws, ServiceAccountKey serviceAccount) {
    this(backend, apiKey, timeouts, aws, serviceAccount, null);
  }

  /** This backend connecting through an XBackend. */
  public ResolvedBackend withEgress(EgressTarget target) {
    return new ResolvedBackend(backend, apiKey, timeouts, aws, serviceAccount, target);
  }

  public ResolvedBackend(AIBackend backend, String apiKey, BackendTimeouts timeouts) {
    this(backend, apiKey, timeouts, null, null);
  }

  public String key() {
    return backend.metadata().qualifiedName();
  }

  @Override
  public String toString() {
    return "ResolvedBackend[" + key() + ", apiKey=" + (apiKey == null ? "none" : "redacted")
        + (aws == null ? "" : ", aws=" + aws)
        + (serviceAccount == null ? "" : ", serviceAccount=redacted")
        + (egress == null ? "" : ", egress=" + egress) + "]";
  }
}
