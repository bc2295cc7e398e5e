package dev.aigis.server.proxy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.model.route.RouteFilter;
import dev.aigis.server.metrics.GatewayMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * The one place an exchange ends: it renders gateway errors, applies the route's response header
 * filters, and records metrics and the access-log line exactly once per request.
 */
final class ExchangeCompletion {

  private final GatewayMetrics metrics;
  private final boolean accessLog;
  private final boolean debugHeaders;

  ExchangeCompletion(GatewayMetrics metrics, boolean accessLog, boolean debugHeaders) {
    this.metrics = metrics;
    this.accessLog = accessLog && AccessLog.enabled();
    this.debugHeaders = debugHeaders;
  }

  /**
   * What every response head gets from the gateway: the route's response header filters and, when
   * enabled, the debug headers naming the route, the backend and the processors that ran.
   */
  void decorate(Exchange exchange, HttpServerResponse response) {
    applyResponseFilters(exchange, response);
    if (debugHeaders) {
      if (exchange.match != null) {
        response.headers().set("x-aigis-route", exchange.routeName());
      }
      if (exchange.backend != null) {
        response.headers().set("x-aigis-backend", exchange.backendName());
      }
      if (!exchange.chains.isEmpty()) {
        response.headers().set("x-aigis-processors", exchange.processorsThatRan());
      }
    }
  }

  /** Answers with a gateway error, or ends an already started stream with an error event. */
  void fail(Exchange exchange, GatewayError error) {
    if (exchange.finished()) {
      return;
    }
    exchange.errorCode = error.code();
    HttpServerResponse response = exchange.request.response();
    if (response.headWritten()) {
      if (!response.ended() && !response.closed()) {
        byte[] event = exchange.errors.streamEvent(error);
        exchange.bytesOut += event.length;
        response.end(Buffer.buffer(event));
      }
      // The client saw a 200 head, but the exchange failed: metrics and the access log count the
      // failure's status, so errors inside streams are not hidden among successes.
      done(exchange, error.status());
      return;
    }
    byte[] body = exchange.errors.body(error);
    exchange.bytesOut += body.length;
    response.setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, exchange.errors.contentType())
        .putHeader("x-request-id", exchange.requestId);
    decorate(exchange, response);
    response.end(Buffer.buffer(body));
    done(exchange, error.status());
  }

  /** The client went away or sent a broken body: nothing more can be written. */
  void abort(Exchange exchange, int status, String errorCode) {
    if (exchange.finished()) {
      return;
    }
    exchange.errorCode = errorCode;
    HttpServerResponse response = exchange.request.response();
    if (!response.closed() && !response.ended()) {
      response.reset();
    }
    done(exchange, status);
  }

  /** A response fully written; call after {@code response.end()}. */
  void succeeded(Exchange exchange) {
    done(exchange, exchange.request.response().getStatusCode());
  }

  static void applyResponseFilters(Exchange exchange, HttpServerResponse response) {
    if (exchange.match == null) {
      return;
    }
    for (RouteFilter filter : exchange.match.rule().filters()) {
      if (filter instanceof RouteFilter.ResponseHeaderModifier m) {
        HeaderFilters.apply(m.modifier(), response.headers());
      }
    }
  }

  private void done(Exchange exchange, int status) {
    if (!exchange.markFinished()) {
      return;
    }
    exchange.closeChains();
    long duration = System.nanoTime() - exchange.startNanos;
    String model = exchange.routedModel == null ? "" : exchange.routedModel;
    metrics.recordRequest(
        new GatewayMetrics.RequestLabels(exchange.routeName(), exchange.backendName(), model, status), duration);
    String operation = exchange.endpoint.operationName();
    if (operation != null && exchange.backend != null && status < 400 && exchange.errorCode == null) {
      String provider = switch (exchange.backend.backend().backend().schema()) { // gen_ai.provider.name values
        case OpenAI -> "openai";
        case AzureOpenAI -> "azure.ai.openai";
        case Anthropic -> "anthropic";
        case AWSBedrock -> "aws.bedrock";
        case Gemini -> "gcp.gemini";
        case GCPVertexAI -> "gcp.vertex_ai";
      };
      metrics.recordModelCall(
          new GatewayMetrics.GenAiLabels(operation, provider, model), duration, exchange.ttftNanos, exchange.usage);
    }
    if (accessLog) {
      AccessLog.write(new ExchangeRecord(
          exchange.startEpochMillis, exchange.requestId, exchange.request.method().name(), exchange.request.path(),
          status, duration, exchange.ttftNanos, exchange.match == null ? null : exchange.routeName(),
          exchange.backend == null ? null : exchange.backendName(), exchange.routedModel, operation,
          exchange.body.stream(), exchange.upstreamStatus, exchange.usage, exchange.bytesIn, exchange.bytesOut,
          exchange.errorCode));
    }
  }
}
