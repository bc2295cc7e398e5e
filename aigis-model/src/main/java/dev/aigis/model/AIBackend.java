package dev.aigis.model;

import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.backend.BackendTimeouts;
import dev.aigis.model.backend.BackendTraffic;
import dev.aigis.model.backend.Credentials;
import dev.aigis.model.backend.ProviderOptions;
import dev.aigis.model.backend.VertexConfig;
import dev.aigis.model.route.ObjectReference;

/**
 * aigis.dev/v1alpha1 AIBackend: an AI service Aigis sends requests to. {@code credentials},
 * {@code modelNameOverride}, {@code timeouts} and {@code apiVersion} are nullable. {@code apiVersion}
 * is the schema's API version: Azure's {@code api-version} query parameter (required there) or the
 * {@code anthropic-version} header (default {@code 2023-06-01}). {@code awsRegion} is
 * {@code spec.aws.region}, the SigV4 signing region (required for {@code AWSBedrock}, else null).
 * {@code vertex} (schema GCPVertexAI only, else null) names the Google Cloud project and location.
 * {@code traffic} ({@code spec.maxConcurrentRequests}, {@code spec.circuitBreaker}) is never null.
 * {@code backendRef} (else null) names the XBackend the backend connects through, instead of an
 * {@code endpoint}; once compiled, {@code endpoint} is the XBackend's hostname and port.
 * {@code options} ({@code spec.openai}, {@code spec.anthropic}) is never null.
 */
public record AIBackend(
    ObjectMeta metadata,
    SourceRef source,
    ApiSchema schema,
    BackendEndpoint endpoint,
    Credentials credentials,
    String modelNameOverride,
    boolean forwardClientAuthorization,
    BackendTimeouts timeouts,
    String apiVersion,
    String awsRegion,
    VertexConfig vertex,
    BackendTraffic traffic,
    ObjectReference backendRef,
    ProviderOptions options)
    implements Resource {

  public AIBackend {
    traffic = traffic == null ? BackendTraffic.NONE : traffic;
    options = options == null ? ProviderOptions.DEFAULTS : options;
  }

  /** With default provider options. */
  public AIBackend(ObjectMeta metadata, SourceRef source, ApiSchema schema, BackendEndpoint endpoint,
      Credentials credentials, String modelNameOverride, boolean forwardClientAuthorization, BackendTimeouts timeouts,
      String apiVersion, String awsRegion, VertexConfig vertex, BackendTraffic traffic, ObjectReference backendRef) {
    this(metadata, source, schema, endpoint, credentials, modelNameOverride, forwardClientAuthorization, timeouts,
        apiVersion, awsRegion, vertex, traffic, backendRef, null);
  }

  /** Without traffic limits or {@code spec.backendRef}: reached at its {@code endpoint}. */
  public AIBackend(ObjectMeta metadata, SourceRef source, ApiSchema schema, BackendEndpoint endpoint,
      Credentials credentials, String modelNameOverride, boolean forwardClientAuthorization, BackendTimeouts timeouts,
      String apiVersion, String awsRegion, VertexConfig vertex) {
    this(metadata, source, schema, endpoint, credentials, modelNameOverride, forwardClientAuthorization, timeouts,
        apiVersion, awsRegion, vertex, (BackendTraffic) null, (ObjectReference) null);
  }

  /** With traffic limits ({@code maxConcurrentRequests}, {@code circuitBreaker}), reached at its {@code endpoint}. */
  public AIBackend(ObjectMeta metadata, SourceRef source, ApiSchema schema, BackendEndpoint endpoint,
      Credentials credentials, String modelNameOverride, boolean forwardClientAuthorization, BackendTimeouts timeouts,
      String apiVersion, String awsRegion, VertexConfig vertex, BackendTraffic traffic) {
    this(metadata, source, schema, endpoint, credentials, modelNameOverride, forwardClientAuthorization, timeouts,
        apiVersion, awsRegion, vertex, traffic, (ObjectReference) null);
  }

  /** Without traffic limits, connecting through the XBackend {@code backendRef}. */
  public AIBackend(ObjectMeta metadata, SourceRef source, ApiSchema schema, BackendEndpoint endpoint,
      Credentials credentials, String modelNameOverride, boolean forwardClientAuthorization, BackendTimeouts timeouts,
      String apiVersion, String awsRegion, VertexConfig vertex, ObjectReference backendRef) {
    this(metadata, source, schema, endpoint, credentials, modelNameOverride, forwardClientAuthorization, timeouts,
        apiVersion, awsRegion, vertex, (BackendTraffic) null, backendRef);
  }

  /** This backend reached at {@code resolved}, as the compiler sets it from the XBackend that {@code backendRef} names. */
  public AIBackend withEndpoint(BackendEndpoint resolved) {
    return new AIBackend(metadata, source, schema, resolved, credentials, modelNameOverride, forwardClientAuthorization,
        timeouts, apiVersion, awsRegion, vertex, traffic, backendRef, options);
  }

  /** The constructor for schemas without provider-specific blocks. */
  public AIBackend(ObjectMeta metadata, SourceRef source, ApiSchema schema, BackendEndpoint endpoint,
      Credentials credentials, String modelNameOverride, boolean forwardClientAuthorization, BackendTimeouts timeouts,
      String apiVersion) {
    this(metadata, source, schema, endpoint, credentials, modelNameOverride, forwardClientAuthorization, timeouts,
        apiVersion, null, null);
  }

  /** The constructor for schemas without an API version. */
  public AIBackend(ObjectMeta metadata, SourceRef source, ApiSchema schema, BackendEndpoint endpoint,
      Credentials credentials, String modelNameOverride, boolean forwardClientAuthorization, BackendTimeouts timeouts) {
    this(metadata, source, schema, endpoint, credentials, modelNameOverride, forwardClientAuthorization, timeouts, null, null, null);
  }

  public static final String API_VERSION = "aigis.dev/v1alpha1";
  public static final String KIND = "AIBackend";

  @Override
  public String kind() {
    return KIND;
  }
}
