package dev.aigis.bench.soak;

/**
 * What goes wrong on purpose in one soak request. Upstream faults are scripted with the fake
 * upstream's {@code x-fake-behavior} header, which the gateway forwards like any other header;
 * client faults are in the request the driver sends, or in how it reads the answer. What each
 * should look like to the client and to the gateway is {@link OutcomeClassifier}'s business.
 */
enum Fault {
  NONE("no fault", Scope.ALL, null),
  UPSTREAM_500("upstream answers 500", Scope.ALL, "{\"status\":500}"),
  UPSTREAM_429("upstream answers 429 with retry-after", Scope.ALL,
      "{\"status\":429,\"headers\":{\"retry-after\":\"1\"}}"),
  UPSTREAM_RESET("upstream resets the connection after 3 events", Scope.STREAM,
      "{\"ttftMs\":5,\"tps\":400,\"tokens\":20,\"truncateAfter\":3}"),
  UPSTREAM_DROP("upstream closes the connection without answering", Scope.PLAIN, "{\"close\":true}"),
  UPSTREAM_SLOW("upstream answers after " + Fault.SLOW_UPSTREAM_MS + " ms, past the route's "
      + Fault.ROUTE_TIMEOUT_MS + " ms backendRequest timeout", Scope.ALL,
      "{\"delayMs\":" + Fault.SLOW_UPSTREAM_MS + "}"),
  CLIENT_DISCONNECT("client closes the connection after the first chunk of a 3 s stream", Scope.STREAM,
      "{\"ttftMs\":20,\"tps\":10,\"tokens\":30}"),
  MALFORMED_JSON("request body is cut JSON", Scope.ALL, null),
  OVERSIZE_BODY("request body over the gateway's 2 MiB limit", Scope.ALL, null),
  UNKNOWN_MODEL("model no route serves", Scope.ALL, null);

  /** The route rule's {@code timeouts.backendRequest}, written into the gateway's YAML. */
  static final int ROUTE_TIMEOUT_MS = 1_000;
  static final int SLOW_UPSTREAM_MS = 1_500;
  /** Pacing of a stream without a fault: first chunk after 20 ms, then 19 more at 400/s (about 70 ms). */
  static final String STREAM_PACING = "{\"ttftMs\":20,\"tps\":400,\"tokens\":20}";

  private enum Scope { ALL, STREAM, PLAIN }

  private final String description;
  private final Scope scope;
  private final String upstreamScript;

  Fault(String description, Scope scope, String upstreamScript) {
    this.description = description;
    this.scope = scope;
    this.upstreamScript = upstreamScript;
  }

  String description() {
    return description;
  }

  /** Whether the fault means anything for {@code kind}: stream faults need a stream, and so on. */
  boolean appliesTo(TrafficKind kind) {
    return switch (scope) {
      case ALL -> true;
      case STREAM -> kind.stream();
      case PLAIN -> !kind.stream();
    };
  }

  /** The {@code x-fake-behavior} value for a request of {@code kind}, or {@code null} for the upstream's default. */
  String upstreamScript(TrafficKind kind) {
    if (this == NONE) {
      return kind.stream() ? STREAM_PACING : null;
    }
    return upstreamScript;
  }
}
