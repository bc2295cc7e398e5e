package dev.aigis.server.proxy;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.ErrorRenderer;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.processing.ChainExchange;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.routing.RouteMatchResult;
import dev.aigis.core.routing.WeightedBackend;
import dev.aigis.core.usage.TokenUsage;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutable state of one request as it moves through the data plane. Confined to the event loop
 * of the connection it arrived on, so it needs no synchronisation.
 */
final class Exchange {

  final HttpServerRequest request;
  final long startNanos;
  final long startEpochMillis;
  final String requestId;
  final ApiEndpoint endpoint;
  /** Errors go back in the client API's own format. */
  final ErrorRenderer errors;

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
  /** The configuration this exchange runs on, read once when it arrived: a reload never changes it mid-way. */
  RuntimeConfig runtime;
  /** Runs continuations on this exchange's event loop; set when processors apply. */
  java.util.concurrent.Executor executor;
  /** The Gateway ({@code namespace/name}) of the listener the request arrived on, once known. */
  String gateway;
  /** The request as processors see and change it; null when no PayloadProcessor applies (the fast path). */
  ProcessedRequest processed;
  /** Chains started for this exchange, in request order; their response stages run in reverse. */
  final List<StartedChain> chains = new ArrayList<>(2);
  private boolean finished;

  /** A chain and its run for this exchange. */
  record StartedChain(ProcessingChain chain, ChainExchange run) {}

  Exchange(HttpServerRequest request, String requestId) {
    this.request = request;
    this.startNanos = System.nanoTime();
    this.startEpochMillis = System.currentTimeMillis();
    this.requestId = requestId;
    this.endpoint = ApiEndpoint.of(request.path());
    this.errors = endpoint.api() == dev.aigis.core.provider.InboundApi.Anthropic
        ? dev.aigis.core.api.AnthropicErrorRenderer.INSTANCE : dev.aigis.core.api.OpenAiErrorRenderer.INSTANCE;
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

  /** Releases every chain's per-exchange resources (ext_proc streams); safe to call more than once. */
  void closeChains() {
    for (StartedChain chain : chains) {
      chain.run().close();
    }
  }

  /** {@code chain/processor} of every processor that ran so far, for the debug header. */
  String processorsThatRan() {
    var names = new StringBuilder();
    for (StartedChain chain : chains) {
      for (String processor : chain.run().ran()) {
        if (!names.isEmpty()) {
          names.append(',');
        }
        names.append(chain.chain().name()).append('/').append(processor);
      }
    }
    return names.toString();
  }

  String routeName() {
    return match == null ? "" : match.route().metadata().qualifiedName();
  }

  String backendName() {
    return backend == null || backend.backend() == null ? "" : backend.backend().key();
  }
}
