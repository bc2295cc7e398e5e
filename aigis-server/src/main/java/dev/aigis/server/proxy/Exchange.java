package dev.aigis.server.proxy;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.ErrorRenderer;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.PipelineRun;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.processing.ProcessedRequest;
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
  /** The connection's header timeout, re-armed when this exchange ends; null when none applies. */
  HeaderTimeout.Watch connectionIdle;
  final long startNanos;
  final long startEpochMillis;
  final String requestId;
  final ApiEndpoint endpoint;
  final ExchangeContext context;

  /** What the gateway read of the body: model, stream, include_usage. */
  OpenAiRequest body = OpenAiRequest.EMPTY;
  /** The request path as routes match it and upstreams receive it ({@code RequestPaths.normalize}). */
  String path;
  /** The query as routes match it and upstreams receive it: a Gemini path's {@code key} taken out ({@code QueryKey}); null when none. */
  String query;
  /** The key a Gemini client sent as {@code ?key=}, presented to processors as {@code x-goog-api-key}; never logged. */
  String queryKey;
  /** The credential the current attempt sent upstream, to scrub from what comes back; never logged. */
  String credential;
  /** The Host (authority) the client named, null when it sent none. */
  String host;
  /** The configuration this exchange runs on, read once when it arrived: a reload never changes it mid-way. */
  RuntimeConfig runtime;
  /** The request as processors see and change it. */
  ProcessedRequest processed;
  /** The Gateway ({@code namespace/name}) whose listener took the request; null before it is known. */
  String gateway;
  /** The exchange's run through its Gateway's pipeline; null before the listener is known. */
  PipelineRun run;
  HttpClientRequest upstream;
  int upstreamStatus;
  long ttftNanos = -1;
  TokenUsage usage;
  long bytesIn;
  long bytesOut;
  String errorCode;
  /** What the upstream broke of its API's promise in a native answer passed on unchanged, or null. */
  String upstreamViolation;
  /** Attempts before the current one, each with how it ended: the retry and failover path the audit log records. */
  final java.util.List<dev.aigis.server.audit.AuditRecord.Attempt> earlierAttempts = new java.util.ArrayList<>(0);
  /** How the current attempt ended, once it failed or answered with a status a retry may want; null before. */
  dev.aigis.server.audit.AuditRecord.Attempt attemptEnded;

  /** A retry or failover is sending another attempt: the current one joins the path. */
  void nextAttempt() {
    if (attemptEnded != null) {
      earlierAttempts.add(attemptEnded);
      attemptEnded = null;
    }
  }

  /** The number of the attempt being sent (the hop header's value). */
  int attemptNumber = 1;
  /** Backends this exchange already tried (failover skips them); null until a retry. */
  java.util.List<WeightedBackend> tried;
  /** Gives back the current attempt's slot on its backend; null when it holds none. */
  Runnable attemptRelease;
  /** Tells the current attempt's circuit breaker how it went (true: failed); null when none listens. */
  java.util.function.Consumer<Boolean> attemptOutcome;
  /** Whether the route's whole-exchange deadline is running. */
  boolean deadlineStarted;
  private boolean finished;

  Exchange(HttpServerRequest request, String requestId, ExchangeContext context) {
    this.request = request;
    this.startNanos = System.nanoTime();
    this.startEpochMillis = System.currentTimeMillis();
    this.requestId = requestId;
    this.endpoint = context.endpoint();
    this.context = context;
  }

  ErrorRenderer errors() {
    return context.errors();
  }

  RouteMatchResult match() {
    return context.route();
  }

  WeightedBackend backend() {
    return context.backend();
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

  /** Gives back the current attempt's slot on its backend (once). */
  void releaseAttempt() {
    Runnable release = attemptRelease;
    attemptRelease = null;
    if (release != null) {
      release.run();
    }
  }

  /** The current attempt's outcome, for its backend's circuit breaker. */
  void outcome(boolean failed) {
    if (attemptOutcome != null) {
      attemptOutcome.accept(failed);
    }
  }

  /** Resets the upstream request, if one is open: its answer is no longer wanted. */
  void resetUpstream() {
    if (upstream != null) {
      upstream.reset();
    }
  }

  String routeName() {
    return context.routeName();
  }

  String backendName() {
    return context.backendName();
  }
}
