package dev.aigis.core.provider;

import java.util.Map;

/**
 * What a backend translator wants sent: method, path with query, headers to set on top of the
 * gateway's own (credentials, content type, API version), and the body bytes. A header whose value
 * is empty is removed from what the client sent (e.g. {@code anthropic-beta} with every flag filtered out).
 */
public record UpstreamCall(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
  public UpstreamCall {
    headers = Map.copyOf(headers);
  }
}
