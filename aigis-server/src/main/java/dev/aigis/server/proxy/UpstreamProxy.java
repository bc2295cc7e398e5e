package dev.aigis.server.proxy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.openai.OpenAiRequestRewriter;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.backend.BackendTimeouts;
import dev.aigis.model.route.RouteFilter;
import dev.aigis.model.route.RouteTimeouts;
import dev.aigis.model.snapshot.ResolvedBackend;
import dev.aigis.server.processing.VertxMutableHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Sends an exchange to an HTTP upstream and relays the answer: headers first, then the body as it
 * arrives, with backpressure both ways. SSE answers go through {@link SseRelay}; anything else is
 * relayed chunk by chunk, with a bounded copy kept only to read token usage.
 */
final class UpstreamProxy {

  /** The Messages API version sent when neither the client nor the backend names one. */
  static final String ANTHROPIC_VERSION = "2023-06-01";

  private final Vertx vertx;
  private final UpstreamClients clients;
  private final ExchangeCompletion completion;
  private final ChainRunner chains;

  UpstreamProxy(Vertx vertx, UpstreamClients clients, ExchangeCompletion completion, ChainRunner chains) {
    this.vertx = vertx;
    this.clients = clients;
    this.completion = completion;
    this.chains = chains;
  }

  void forward(Exchange exchange, BackendEndpoint.Url url, String path, String hostOverride, RequestBody body) {
    ResolvedBackend backend = exchange.backend.backend();
    BackendTimeouts timeouts = backend.timeouts();
    Buffer upstreamBody = body == null ? null : body.buffer();
    boolean askForUsage = exchange.body.stream() && exchange.endpoint.openAiStreamUsage();
    String modelOverride = backend.backend().modelNameOverride();
    if (body != null && OpenAiRequestRewriter.needed(exchange.body, modelOverride, askForUsage)) {
      upstreamBody = Buffer.buffer(OpenAiRequestRewriter.rewrite(body.bytes(), modelOverride, askForUsage));
    }
    exchange.injectedUsage = askForUsage && !exchange.body.clientAskedForUsage();
    String query = exchange.request.query();
    String uri = url.basePath() + path + (query == null ? "" : "?" + query);

    var requestOptions = new RequestOptions()
        .setMethod(exchange.request.method())
        .setURI(uri)
        .setIdleTimeout(timeouts.idle().toMillis());
    RouteTimeouts routeTimeouts = exchange.match.rule().timeouts();
    long headerTimeout = headerTimeoutMillis(timeouts, routeTimeouts);
    startRequestDeadline(exchange, routeTimeouts);
    final Buffer sent = upstreamBody;
    var client = clients.client(UpstreamClients.EndpointKey.of(url, timeouts.connect()));
    client.request(requestOptions).onComplete(ar -> {
      if (exchange.finished()) {
        if (ar.succeeded()) {
          ar.result().reset();
        }
        return;
      }
      if (ar.failed()) {
        completion.fail(exchange, connectError(exchange, ar.cause(), timeouts.connect()));
        return;
      }
      HttpClientRequest upstream = ar.result();
      exchange.upstream = upstream;
      upstreamHeaders(exchange, url, hostOverride, sent != null, upstream.headers());
      long timer = vertx.setTimer(headerTimeout, id -> {
        if (!exchange.finished() && exchange.upstreamStatus == 0) {
          // Fail before resetting: the reset fails the response future, which must find the exchange done.
          completion.fail(exchange, new GatewayError.UpstreamTimeout(exchange.backendName(), headerTimeout));
          upstream.reset();
        }
      });
      var response = sent != null ? upstream.send(sent) : upstream.send(exchange.request);
      response.onComplete(res -> {
        vertx.cancelTimer(timer);
        if (exchange.finished()) {
          return;
        }
        if (res.failed()) {
          completion.fail(exchange, connectError(exchange, res.cause(), Duration.ofMillis(headerTimeout)));
          return;
        }
        relay(exchange, res.result());
      });
    });
  }

  /**
   * The headers the upstream sees: the client's end-to-end headers, minus what the gateway owns
   * (Host, the client's credentials unless the backend forwards them, the body length when the
   * body was buffered), plus the backend's credentials, the routed model and the route's filters.
   */
  private static void upstreamHeaders(Exchange exchange, BackendEndpoint.Url url, String hostOverride, boolean buffered,
      MultiMap out) {
    ResolvedBackend backend = exchange.backend.backend();
    boolean forwardAuthorization = backend.backend().forwardClientAuthorization();
    // With processors, their view of the headers (route filters already applied) is what goes on.
    Iterable<Map.Entry<String, String>> source =
        exchange.processed != null ? exchange.processed.headers().entries() : exchange.request.headers();
    for (Map.Entry<String, String> header : source) {
      String name = header.getKey();
      if (HopByHop.is(name)
          || name.equalsIgnoreCase("host")
          || (buffered && name.equalsIgnoreCase("content-length")) // Vert.x sets it from the buffer sent
          || (!forwardAuthorization && name.equalsIgnoreCase("authorization"))
          || (exchange.processed == null && ModelHeaderView.isModelHeader(name))) {
        continue;
      }
      out.add(name, header.getValue());
    }
    out.set(HttpHeaders.HOST, hostOverride != null ? hostOverride : url.authority());
    out.set("x-request-id", exchange.requestId);
    if (exchange.processed == null && exchange.body.model() != null) {
      out.set(RuntimeConfig.MODEL_HEADER, exchange.body.model());
    }
    if (exchange.endpoint.requiresModel()) {
      out.set(HttpHeaders.ACCEPT_ENCODING, "identity"); // usage is read from the body, so no compression
    }
    if (backend.backend().schema() == ApiSchema.Anthropic) {
      // Native Anthropic passthrough: Anthropic's own credential and version headers.
      if (backend.apiKey() != null) {
        out.set("x-api-key", backend.apiKey());
      }
      if (out.get("anthropic-version") == null) {
        out.set("anthropic-version", backend.backend().apiVersion() != null ? backend.backend().apiVersion() : ANTHROPIC_VERSION);
      }
    } else if (backend.apiKey() != null) {
      out.set(HttpHeaders.AUTHORIZATION, "Bearer " + backend.apiKey());
    }
    if (exchange.processed == null) {
      for (RouteFilter filter : exchange.match.rule().filters()) {
        if (filter instanceof RouteFilter.RequestHeaderModifier m) {
          HeaderFilters.apply(m.modifier(), out);
        }
      }
    }
  }

  private void relay(Exchange exchange, HttpClientResponse upstream) {
    exchange.upstreamStatus = upstream.statusCode();
    HttpServerResponse response = exchange.request.response();
    response.setStatusCode(upstream.statusCode());
    MultiMap out = response.headers();
    HopByHop.copy(upstream.headers(), out);
    out.set("x-request-id", exchange.requestId);
    completion.decorate(exchange, response);
    String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
    if (upstream.statusCode() >= 400 && !isJson(contentType)) {
      replaceOpaqueError(exchange, upstream);
      return;
    }
    ResponseProcessing processing = exchange.processed == null ? null : ResponseProcessing.of(exchange);
    if (processing == null) {
      relayBody(exchange, upstream, response, null, null);
      return;
    }
    // Processors see (and may change) status and headers before the head is written.
    upstream.pause();
    var processedResponse = new ProcessedResponse(upstream.statusCode(), new VertxMutableHeaders(out));
    boolean sse = contentType != null && contentType.startsWith("text/event-stream");
    if (!sse && processing.runsHeaders() && exchange.endpoint.requiresModel() && upstream.statusCode() / 100 == 2) {
      // A non-streamed answer carries its usage in the body: header processors wait for it, so that
      // response.usage is the answer's usage rather than zeros.
      readWholeThenProcess(exchange, upstream, response, processing, processedResponse);
      return;
    }
    processHeaders(exchange, response, processing, processedResponse, () -> {
      relayBody(exchange, upstream, response, processing, processedResponse);
      upstream.resume();
    });
  }

  /**
   * Collects a non-streamed answer (capped like any body response processors buffer), reads its
   * usage, then runs the header stages and writes the body through the processors.
   */
  private void readWholeThenProcess(Exchange exchange, HttpClientResponse upstream, HttpServerResponse response,
      ResponseProcessing processing, ProcessedResponse processedResponse) {
    Buffer whole = Buffer.buffer();
    upstream.handler(chunk -> {
      if (exchange.finished()) {
        return;
      }
      if (whole.length() + chunk.length() > BodyRelay.MAX_PROCESSED_BODY) {
        completion.fail(exchange, new GatewayError.UpstreamProtocolError(exchange.backendName(),
            "response body exceeds the " + BodyRelay.MAX_PROCESSED_BODY + " bytes response processors can buffer"));
        exchange.upstream.reset();
        return;
      }
      whole.appendBuffer(chunk);
    });
    upstream.exceptionHandler(err -> completion.fail(exchange, err instanceof TimeoutException
        ? new GatewayError.UpstreamTimeout(exchange.backendName(), exchange.backend.backend().timeouts().idle().toMillis())
        : new GatewayError.UpstreamProtocolError(exchange.backendName(), "connection lost mid-body")));
    upstream.endHandler(v -> {
      if (exchange.finished()) {
        return;
      }
      var usage = new UsageTail();
      usage.append(whole);
      exchange.usage = usage.usage();
      processedResponse.setUsage(exchange.usage);
      processHeaders(exchange, response, processing, processedResponse, () -> {
        response.headers().remove(HttpHeaders.CONTENT_LENGTH); // processors may change the body
        response.setChunked(true);
        var writer = new ProcessedBodyWriter(exchange, processing, processedResponse, response, upstream, completion, false);
        writer.offer(whole.getBytes());
        writer.finish();
      });
    });
    upstream.resume();
  }

  /** Runs the response-header stages; on Proceed sets the processed status and runs {@code next}. */
  private void processHeaders(Exchange exchange, HttpServerResponse response, ResponseProcessing processing,
      ProcessedResponse processedResponse, Runnable next) {
    processing.headers(exchange, processedResponse).whenComplete((outcome, failure) -> {
      if (exchange.finished()) {
        return;
      }
      if (failure != null || !(outcome instanceof ChainOutcome.Proceed)) {
        exchange.upstream.reset();
        response.headers().clear();
        switch (outcome) {
          case ChainOutcome.Respond respond when failure == null -> chains.immediate(exchange, respond.response());
          case ChainOutcome.Fail fail when failure == null -> completion.fail(exchange, fail.error());
          case null, default -> completion.fail(exchange,
              new GatewayError.Internal("Internal gateway error; request id " + exchange.requestId));
        }
        return;
      }
      response.setStatusCode(processedResponse.status());
      next.run();
    });
  }

  private void relayBody(Exchange exchange, HttpClientResponse upstream, HttpServerResponse response,
      ResponseProcessing processing, ProcessedResponse processedResponse) {
    String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
    boolean sse = contentType != null && contentType.startsWith("text/event-stream");
    ProcessedBodyWriter writer = processing == null ? null
        : new ProcessedBodyWriter(exchange, processing, processedResponse, response, upstream, completion, sse);
    if (sse && upstream.statusCode() == 200 && exchange.endpoint.openAiStreamUsage()) {
      new SseRelay(exchange, upstream, response, completion, writer).start();
      return;
    }
    new BodyRelay(exchange, upstream, response, completion, writer, processing != null && processing.buffersBody()).start();
  }

  private static boolean isJson(String contentType) {
    return contentType != null && contentType.regionMatches(true, 0, "application/json", 0, 16);
  }

  /**
   * An upstream error that is not JSON (an HTML page from a load balancer, plain text from a proxy)
   * would break OpenAI clients; it is replaced by an OpenAI error with the same status.
   */
  private void replaceOpaqueError(Exchange exchange, HttpClientResponse upstream) {
    upstream.handler(chunk -> { }); // discard, bounded by the connection's idle timeout
    upstream.endHandler(v -> completion.fail(exchange,
        new GatewayError.UpstreamStatus(exchange.backendName(), upstream.statusCode())));
    upstream.exceptionHandler(err -> completion.fail(exchange,
        new GatewayError.UpstreamStatus(exchange.backendName(), upstream.statusCode())));
    exchange.request.response().headers().clear();
  }

  private static GatewayError connectError(Exchange exchange, Throwable cause, Duration timeout) {
    if (cause instanceof TimeoutException
        || cause instanceof io.netty.channel.ConnectTimeoutException
        || (cause.getMessage() != null && cause.getMessage().contains("timed out"))) {
      return new GatewayError.UpstreamTimeout(exchange.backendName(), timeout.toMillis());
    }
    if (cause instanceof ConnectException || cause instanceof java.nio.channels.ClosedChannelException) {
      return new GatewayError.UpstreamUnreachable(exchange.backendName());
    }
    return new GatewayError.UpstreamUnreachable(exchange.backendName());
  }

  /**
   * How long to wait for response headers: the backend's {@code response} timeout, shortened by the
   * route's {@code backendRequest} (Gateway API: one request to the backend). Zero means "no
   * timeout" in Gateway API and leaves the backend's value in force.
   */
  private static long headerTimeoutMillis(BackendTimeouts backend, RouteTimeouts route) {
    long millis = backend.response().toMillis();
    if (route != null && route.backendRequest() != null && !route.backendRequest().isZero()) {
      millis = Math.min(millis, route.backendRequest().toMillis());
    }
    return Math.max(1, millis);
  }

  /**
   * The route's {@code request} timeout bounds the whole exchange, from the first request byte to
   * the last response byte, as Gateway API defines it. Before the response starts the client gets
   * a 504; a stream already under way ends with an error event.
   */
  private void startRequestDeadline(Exchange exchange, RouteTimeouts route) {
    if (route == null || route.request() == null || route.request().isZero()) {
      return;
    }
    long elapsedMillis = (System.nanoTime() - exchange.startNanos) / 1_000_000;
    long limit = route.request().toMillis();
    vertx.setTimer(Math.max(1, limit - elapsedMillis), id -> {
      if (!exchange.finished()) {
        completion.fail(exchange, new GatewayError.UpstreamTimeout(exchange.backendName(), limit));
        if (exchange.upstream != null) {
          exchange.upstream.reset();
        }
      }
    });
  }
}
