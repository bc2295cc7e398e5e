package dev.aigis.model.backend;

import dev.aigis.model.route.ObjectReference;

/**
 * An XBackend's {@code spec.proxy}: an HTTP forward proxy the gateway reaches the external host
 * through. TLS targets are tunnelled with {@code CONNECT}, so the proxy sees only the host, the port
 * and ciphertext; a cleartext target (mode None) is sent to the proxy in absolute form.
 *
 * @param host the proxy's host, from {@code url} ({@code http://} only, no user info)
 * @param port the proxy's port, 80 when the URL has none
 * @param credentialsRef a Secret with {@code username} and {@code password} for Basic
 *     {@code Proxy-Authorization}, or null for a proxy that asks for none
 */
public record XBackendProxy(String host, int port, ObjectReference credentialsRef) {

  /** The URL as written without user info, for messages: {@code http://host:port}. */
  public String url() {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
