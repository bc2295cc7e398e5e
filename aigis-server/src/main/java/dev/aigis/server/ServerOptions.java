package dev.aigis.server;

import java.time.Duration;

/**
 * Process-level settings that are not part of the declarative configuration.
 *
 * @param adminPort port of {@code /healthz}, {@code /readyz} and {@code /metrics}; 0 picks a free one, -1 disables
 * @param adminHost interface the admin server binds (loopback by default: metrics are not for the public)
 * @param trafficHost interface the listeners bind
 * @param maxRequestBodyBytes largest request body the gateway buffers (413 above)
 * @param eventLoops event-loop threads; 0 means one per core
 * @param drainTimeout how long a removed listener keeps serving in-flight requests
 * @param accessLog whether to write one JSON line per request
 * @param debugHeaders whether to add {@code x-aigis-route}/{@code x-aigis-backend} to responses
 * @param bodyStallTimeout how long a request body may send nothing before the gateway answers 408
 *     and closes the connection (a client trickling a body must not hold a connection for ever)
 * @param maxConnectionsPerClient open connections one client address may hold on a listener;
 *     more are closed as they arrive, so one client cannot take every descriptor
 * @param h2c whether HTTP listeners accept cleartext HTTP/2 (prior knowledge or an Upgrade from
 *     HTTP/1.1); off by default, as an Upgrade is a way around what a front proxy checked
 */
public record ServerOptions(
    int adminPort,
    String adminHost,
    String trafficHost,
    long maxRequestBodyBytes,
    int eventLoops,
    Duration drainTimeout,
    boolean accessLog,
    boolean debugHeaders,
    Duration bodyStallTimeout,
    int maxConnectionsPerClient,
    boolean h2c) {

  public static final long DEFAULT_MAX_REQUEST_BODY = 2L * 1024 * 1024;
  /** nginx's {@code client_body_timeout} default. */
  public static final Duration DEFAULT_BODY_STALL_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 1024;

  public static ServerOptions defaults() {
    return new ServerOptions(9901, "127.0.0.1", "0.0.0.0", DEFAULT_MAX_REQUEST_BODY, 0, Duration.ofSeconds(30), true, false,
        DEFAULT_BODY_STALL_TIMEOUT, DEFAULT_MAX_CONNECTIONS_PER_CLIENT, false);
  }

  public ServerOptions withAdminPort(int port) {
    return new ServerOptions(port, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c);
  }

  public ServerOptions withAdminHost(String host) {
    return new ServerOptions(adminPort, host, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c);
  }

  public ServerOptions withAccessLog(boolean enabled) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, enabled,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c);
  }

  public ServerOptions withMaxRequestBodyBytes(long bytes) {
    return new ServerOptions(adminPort, adminHost, trafficHost, bytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c);
  }

  public ServerOptions withEventLoops(int count) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, count, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c);
  }

  public ServerOptions withDebugHeaders(boolean enabled) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        enabled, bodyStallTimeout, maxConnectionsPerClient, h2c);
  }

  public ServerOptions withTrafficHost(String host) {
    return new ServerOptions(adminPort, adminHost, host, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c);
  }

  public ServerOptions withBodyStallTimeout(Duration timeout) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, timeout, maxConnectionsPerClient, h2c);
  }

  public ServerOptions withMaxConnectionsPerClient(int connections) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, connections, h2c);
  }

  public ServerOptions withH2c(boolean enabled) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, enabled);
  }
}
