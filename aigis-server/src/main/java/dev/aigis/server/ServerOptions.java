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
 * @param headerTimeout how long an HTTP/1.x connection may take to deliver a complete request head,
 *     counted from its opening or from the end of its previous exchange (slowloris; idle keep-alive)
 * @param maxConnections open client connections across all listeners; more are closed as they
 *     arrive, so descriptors stay for upstream connections and the gateway sheds instead of
 *     failing to accept; 0 means half the process's descriptor limit
 * @param resolve {@code host:port} → address pins for upstream connections ({@code --resolve}); TLS still
 *     checks the certificate against the hostname
 * @param trustedHops proxies in front of the gateway whose {@code X-Forwarded-For} entries are
 *     kept: 0 (the default) replaces a client-written chain with the peer address; n keeps the
 *     last n entries and appends the peer
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
    boolean h2c,
    Duration headerTimeout,
    int maxConnections,
    int trustedHops,
    java.util.Map<String, String> resolve) {

  public ServerOptions {
    resolve = resolve == null ? java.util.Map.of() : java.util.Map.copyOf(resolve);
  }

  /** The options as they were before {@code resolve}: no pins. */
  public ServerOptions(int adminPort, String adminHost, String trafficHost, long maxRequestBodyBytes, int eventLoops,
      Duration drainTimeout, boolean accessLog, boolean debugHeaders, Duration bodyStallTimeout,
      int maxConnectionsPerClient, boolean h2c, Duration headerTimeout, int maxConnections, int trustedHops) {
    this(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog, debugHeaders,
        bodyStallTimeout, maxConnectionsPerClient, h2c, headerTimeout, maxConnections, trustedHops, java.util.Map.of());
  }

  /**
   * Pins {@code host:port} to {@code address} for upstream connections, as curl's {@code --resolve
   * HOST:PORT:ADDRESS} does; TLS still checks the certificate against the hostname.
   */
  public ServerOptions withResolve(java.util.Map<String, String> pins) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c, headerTimeout, maxConnections, trustedHops, pins);
  }

  /** Parses one {@code HOST:PORT:ADDRESS} (an IPv6 address may be bracketed); throws with the reason. */
  public static java.util.Map.Entry<String, String> parseResolve(String text) {
    int first = text.indexOf(':');
    int second = first < 0 ? -1 : text.indexOf(':', first + 1);
    if (first <= 0 || second < 0 || second == text.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT:ADDRESS, got \"" + text + "\"");
    }
    String host = text.substring(0, first).toLowerCase(java.util.Locale.ROOT);
    int port;
    try {
      port = Integer.parseInt(text.substring(first + 1, second));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port of \"" + text + "\" is not a number");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
    }
    String address = text.substring(second + 1);
    if (address.startsWith("[") && address.endsWith("]")) {
      address = address.substring(1, address.length() - 1);
    }
    return java.util.Map.entry(host + ":" + port, address);
  }

  public static final long DEFAULT_MAX_REQUEST_BODY = 2L * 1024 * 1024;
  /** nginx's {@code client_body_timeout} default. */
  public static final Duration DEFAULT_BODY_STALL_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 1024;
  /** nginx's {@code client_header_timeout} default. */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(60);

  public static ServerOptions defaults() {
    return new ServerOptions(9901, "127.0.0.1", "0.0.0.0", DEFAULT_MAX_REQUEST_BODY, 0, Duration.ofSeconds(30), true, false,
        DEFAULT_BODY_STALL_TIMEOUT, DEFAULT_MAX_CONNECTIONS_PER_CLIENT, false, DEFAULT_HEADER_TIMEOUT, 0, 0);
  }

  public ServerOptions withAdminPort(int port) {
    return new ServerOptions(port, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c, headerTimeout, maxConnections, trustedHops, resolve);
  }

  public ServerOptions withAdminHost(String host) {
    return new ServerOptions(adminPort, host, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c, headerTimeout, maxConnections, trustedHops, resolve);
  }

  public ServerOptions withAccessLog(boolean enabled) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, enabled,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c, headerTimeout, maxConnections, trustedHops, resolve);
  }

  public ServerOptions withMaxRequestBodyBytes(long bytes) {
    return new ServerOptions(adminPort, adminHost, trafficHost, bytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c, headerTimeout, maxConnections, trustedHops, resolve);
  }

  public ServerOptions withEventLoops(int count) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, count, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c, headerTimeout, maxConnections, trustedHops, resolve);
  }

  public ServerOptions withDebugHeaders(boolean enabled) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        enabled, bodyStallTimeout, maxConnectionsPerClient, h2c, headerTimeout, maxConnections, trustedHops, resolve);
  }

  public ServerOptions withTrafficHost(String host) {
    return new ServerOptions(adminPort, adminHost, host, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c, headerTimeout, maxConnections, trustedHops, resolve);
  }

  public ServerOptions withBodyStallTimeout(Duration timeout) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, timeout, maxConnectionsPerClient, h2c, headerTimeout, maxConnections, trustedHops, resolve);
  }

  public ServerOptions withMaxConnectionsPerClient(int connections) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, connections, h2c, headerTimeout, maxConnections, trustedHops, resolve);
  }

  public ServerOptions withH2c(boolean enabled) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, enabled, headerTimeout, maxConnections, trustedHops, resolve);
  }

  public ServerOptions withHeaderTimeout(Duration timeout) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c, timeout, maxConnections, trustedHops, resolve);
  }

  public ServerOptions withMaxConnections(int connections) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c, headerTimeout, connections, trustedHops, resolve);
  }

  public ServerOptions withTrustedHops(int hops) {
    return new ServerOptions(adminPort, adminHost, trafficHost, maxRequestBodyBytes, eventLoops, drainTimeout, accessLog,
        debugHeaders, bodyStallTimeout, maxConnectionsPerClient, h2c, headerTimeout, maxConnections, hops, resolve);
  }
}
