package dev.aigis.server.proxy;

import dev.aigis.core.openai.OpenAiEndpoint;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.routing.RouteMatchResult;
import dev.aigis.core.routing.WeightedBackend;
import dev.aigis.core.usage.TokenUsage;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * The mutable state of one request as it moves through the data plane. Confined to the event loop
 * of the connection it arrived on, so it needs no synchronisation.
 */
final class Exchange {

  final HttpServerRequest request;
  final long startNanos;
  final long startEpochMillis;
  final String requestId;
  final OpenAiEndpoint endpoint;

  OpenAiRequest body = OpenAiRequest.EMPTY;
  /** The model routing saw, once a route matched; a label for metrics only then. */
  String routedModel;
  RouteMatchResult match;
  WeightedBackend backend;
  /** True when the gateway, not the client, asked upstream for the usage chunk. */
  boolean injectedUsage;
  HttpClientRequest upstream;
  int upstreamStatus;
  long ttftNanos = -1;
  TokenUsage usage;
  long bytesIn;
  long bytesOut;
  String errorCode;
  private boolean finished;

  Exchange(HttpServerRequest request, String requestId) {
    this.request = request;
    this.startNanos = System.nanoTime();
    this.startEpochMillis = System.currentTimeMillis();
    this.requestId = requestId;
    this.endpoint = OpenAiEndpoint.of(request.path());
  }

  /** Marks the exchange done; returns false if it already was (e.g. client gone, then upstream ended). */
  boolean markFinished() {
    if (finished) {
      return false;
    }
    finished = true;
    return true;
  }

  boolean finished() {
    return finished;
  }

  String routeName() {
    return match == null ? "" : match.route().metadata().qualifiedName();
  }

  String backendName() {
    return backend == null || backend.backend() == null ? "" : backend.backend().key();
  }
}
