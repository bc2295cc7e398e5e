package dev.aigis.core.provider;

import java.util.Map;

/**
 * What a backend translator wants sent: method, path with query, headers to set on top of the
 * gateway's own (credentials, content type, API version), and the body bytes.
 */
public record UpstreamCall(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
  public UpstreamCall {
    headers = Map.copyOf(headers);
  }
}
