package dev.aigis.core.routing;

import java.util.Objects;

/**
 * The parts of a request that routing looks at.
 *
 * @param method the HTTP method, compared case-sensitively
 * @param host the Host header or {@code :authority}; may carry a port; null when the client sent none
 * @param path the request path without the query, not decoded
 * @param rawQuery the query after {@code ?}, undecoded; null when absent
 * @param headers the request headers
 */
public record RequestHead(String method, String host, String path, String rawQuery, HeaderView headers) {

  public RequestHead {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(headers, "headers");
  }
}
