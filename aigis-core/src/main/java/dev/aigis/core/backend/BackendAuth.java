package dev.aigis.core.backend;

import dev.aigis.core.provider.UpstreamCall;
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

  /** A key in a header of its own: Anthropic's {@code x-api-key}, Azure's {@code api-key}, Google AI's {@code x-goog-api-key}. */
  record ApiKeyHeader(String header) implements BackendAuth {
    @Override
    public void apply(String credential, Map<String, String> headers) {
      if (credential != null && !credential.isBlank()) {
        headers.put(header, credential);
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

  static BackendAuth of(ResolvedBackend backend) {
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
