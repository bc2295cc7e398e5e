package dev.aigis.core.backend;

import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.model.backend.Credentials;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a backend authenticates, one strategy per schema, and the one place a backend's credential
 * becomes headers: native and translated calls alike (translators build calls without
 * credentials). {@link SigV4} is the exception that proves it: the Bedrock translator signs, as
 * the signature covers the translated body and path. {@link GcpOAuth}'s access token is obtained
 * asynchronously by the server's token source and then sent as a bearer token.
 */
public sealed interface BackendAuth {

  /**
   * Adds the credential's headers; {@code credential} is the key or token for this attempt. A
   * missing or blank credential adds nothing (a backend that needs none, or a local model server).
   */
  void apply(String credential, Map<String, String> headers);

  /** The call with this credential's headers added (a copy; a signed call is returned as it is). */
  default UpstreamCall authorize(UpstreamCall call, String credential) {
    if (credential == null || credential.isBlank()) {
      return call;
    }
    Map<String, String> headers = new LinkedHashMap<>(call.headers());
    apply(credential, headers);
    return new UpstreamCall(call.method(), call.pathAndQuery(), headers, call.body());
  }

  /** Whether the credential must be fetched (an OAuth exchange) before each attempt, usually from a cache. */
  default boolean fetchesToken() {
    return false;
  }

  record Bearer() implements BackendAuth {
    @Override
    public void apply(String credential, Map<String, String> headers) {
      if (credential != null && !credential.isBlank()) {
        headers.put("Authorization", "Bearer " + credential);
      }
    }
  }

  /**
   * A key in a header of its own: Anthropic's {@code x-api-key}, Azure's {@code api-key}, Google
   * AI's {@code x-goog-api-key}, or the backend's {@code spec.credentials.header}, after
   * {@code prefix} ({@code "Key "}; empty for none).
   */
  record ApiKeyHeader(String header, String prefix) implements BackendAuth {
    public ApiKeyHeader(String header) {
      this(header, "");
    }

    @Override
    public void apply(String credential, Map<String, String> headers) {
      if (credential != null && !credential.isBlank()) {
        headers.put(header, prefix + credential);
      }
    }
  }

  /** AWS Signature V4, computed by the translator over the final request. */
  record SigV4() implements BackendAuth {
    @Override
    public void apply(String credential, Map<String, String> headers) {
    }

    @Override
    public UpstreamCall authorize(UpstreamCall call, String credential) {
      return call;
    }
  }

  /** A Google service-account key exchanged for OAuth access tokens (cached, refreshed). */
  record GcpOAuth() implements BackendAuth {
    @Override
    public void apply(String credential, Map<String, String> headers) {
      if (credential != null && !credential.isBlank()) {
        headers.put("Authorization", "Bearer " + credential);
      }
    }

    @Override
    public boolean fetchesToken() {
      return true;
    }
  }

  /** The schema's strategy, or the key in the backend's own header ({@code spec.credentials.header}/{@code prefix}). */
  static BackendAuth of(ResolvedBackend backend) {
    BackendAuth schema = ofSchema(backend);
    Credentials credentials = backend.backend().credentials();
    Credentials.Header custom = credentials == null ? null : credentials.header();
    if (custom == null) {
      return schema;
    }
    return switch (schema) {
      case Bearer b -> custom.name() == null || custom.name().equalsIgnoreCase("authorization")
          ? new ApiKeyHeader(custom.name() == null ? "Authorization" : custom.name(),
              custom.prefix() == null ? "Bearer " : custom.prefix())
          : new ApiKeyHeader(custom.name(), custom.prefix() == null ? "" : custom.prefix());
      case ApiKeyHeader h -> new ApiKeyHeader(custom.name() == null ? h.header() : custom.name(),
          custom.prefix() == null ? h.prefix() : custom.prefix());
      case SigV4 s -> s; // the loader refuses a header for the schemas that sign or exchange
      case GcpOAuth g -> g;
    };
  }

  /** The header the credential is sent in when it is a plain header (not a signature), or null. */
  static String headerOf(ResolvedBackend backend) {
    return switch (of(backend)) {
      case Bearer b -> "Authorization";
      case ApiKeyHeader h -> h.header();
      case SigV4 s -> null;
      case GcpOAuth g -> "Authorization";
    };
  }

  private static BackendAuth ofSchema(ResolvedBackend backend) {
    return switch (backend.backend().schema()) {
      case OpenAI -> new Bearer();
      case Gemini -> new ApiKeyHeader("x-goog-api-key");
      case AzureOpenAI -> new ApiKeyHeader("api-key");
      case Anthropic -> new ApiKeyHeader("x-api-key");
      case AWSBedrock -> new SigV4();
      case GCPVertexAI -> new GcpOAuth();
    };
  }
}
