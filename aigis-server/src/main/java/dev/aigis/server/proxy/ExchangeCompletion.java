package dev.aigis.server.proxy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.exchange.ExchangeSummary;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.server.processing.VertxMutableHeaders;
import dev.aigis.core.usage.TokenUsage;
import java.time.Duration;
import dev.aigis.server.metrics.GatewayMetrics;
import dev.aigis.server.metrics.ModelLabels;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * The one place an exchange ends: it renders gateway errors in the caller's format, records metrics
 * and the access-log line, and calls the exchange's completion hooks, exactly once per request.
 */
final class ExchangeCompletion {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExchangeCompletion.class);

  private final GatewayMetrics metrics;
  private final boolean accessLog;
  private final boolean debugHeaders;
  /** Audit log hook (issue 10, item 6): null when auditing is off; set before the front door serves. */
  private dev.aigis.server.audit.AuditLog audit;

  ExchangeCompletion(GatewayMetrics metrics, boolean accessLog, boolean debugHeaders) {
    this.metrics = metrics;
    this.accessLog = accessLog && AccessLog.enabled();
    this.debugHeaders = debugHeaders;
  }

  void audit(dev.aigis.server.audit.AuditLog audit) {
    this.audit = audit;
  }

  /**
   * What every response head gets from the gateway: when enabled, the debug headers naming the
   * route, the backend and the processors that ran. (The route's response header filters are
   * built-in processors of the exchange's pipeline.)
   */
  void decorate(Exchange exchange, HttpServerResponse response) {
    if (debugHeaders) {
      if (exchange.match() != null) {
        response.headers().set("x-aigis-route", exchange.routeName());
      }
      if (exchange.backend() != null) {
        response.headers().set("x-aigis-backend", exchange.backendName());
      }
      if (exchange.run != null && exchange.run.ranConfiguredChains()) {
        response.headers().set("x-aigis-processors", exchange.run.processorsThatRan());
      }
    }
  }

  /**
   * A native answer broke its API's format and was passed on unchanged (passthrough means
   * passthrough): counted and logged now, before its last bytes are written, so whoever has read
   * the whole answer can see the count; the access-log line carries it at the end.
   */
  void upstreamViolation(Exchange exchange, String violation) {
    if (violation == null) {
      return;
    }
    exchange.upstreamViolation = violation;
    metrics.upstreamViolation(exchange.backendName());
    LOG.warn("request {}: backend {} broke its API's answer format ({}); passed to the client unchanged",
        exchange.requestId, exchange.backendName(), violation);
  }

  /** Answers with a gateway error, or ends an already started stream with an error event. */
  void fail(Exchange exchange, GatewayError error) {
    fail(exchange, error, java.util.Map.of());
  }

  /** @param headers extra headers for the error response (a 429's {@code Retry-After}); unused once a stream started */
  void fail(Exchange exchange, GatewayError error, java.util.Map<String, java.util.List<String>> headers) {
    if (exchange.finished()) {
      return;
    }
    exchange.errorCode = error.code();
    HttpServerResponse response = exchange.request.response();
    if (response.headWritten()) {
      if (!response.ended() && !response.closed()) {
        byte[] event = exchange.errors().streamEvent(error);
        exchange.bytesOut += event.length;
        response.end(Buffer.buffer(event));
      }
      // The client saw a 200 head, but the exchange failed: metrics and the access log count the
      // failure's status, so errors inside streams are not hidden among successes.
      done(exchange, error.status());
      return;
    }
    byte[] body = exchange.errors().body(error);
    exchange.bytesOut += body.length;
    // The error replaces whatever body an upstream announced (its length and encoding go with it).
    response.headers().remove(HttpHeaders.CONTENT_LENGTH).remove(HttpHeaders.CONTENT_ENCODING)
        .remove(HttpHeaders.TRANSFER_ENCODING);
    response.setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, exchange.errors().contentType())
        .putHeader("x-request-id", exchange.requestId);
    headers.forEach((name, values) -> response.headers().set(name, values));
    if (exchange.run != null && exchange.processed != null) {
      exchange.run.builtinResponseHeaders(new ProcessedResponse(error.status(), new VertxMutableHeaders(response.headers())));
    }
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

  private static String callerOf(Exchange exchange) {
    var identity = exchange.context.attributes().get(dev.aigis.core.policy.PolicyAttributes.IDENTITY);
    return identity == null ? null : identity.name();
  }

  private void done(Exchange exchange, int status) {
    if (!exchange.markFinished()) {
      return;
    }
    exchange.releaseAttempt();
    if (exchange.connectionIdle != null) {
      exchange.connectionIdle.arm();
    }
    if (exchange.run != null) {
      exchange.run.close();
    }
    long duration = System.nanoTime() - exchange.startNanos;
    String routedModel = exchange.match() == null ? null : exchange.context.model();
    // A label, not the name as sent: only model names the configuration declares become series.
    String model = exchange.runtime == null ? ModelLabels.OTHER : exchange.runtime.modelLabel(routedModel);
    metrics.recordRequest(
        new GatewayMetrics.RequestLabels(exchange.routeName(), exchange.backendName(), model, status), duration);
    String operation = exchange.endpoint.operationName();
    if (operation != null && exchange.backend() != null && exchange.backend().resolved() && status < 400
        && exchange.errorCode == null) {
      String provider = switch (exchange.backend().backend().backend().schema()) { // gen_ai.provider.name values
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
          exchange.startEpochMillis, exchange.requestId, exchange.request.method().name(), exchange.path,
          status, duration, exchange.ttftNanos, exchange.match() == null ? null : exchange.routeName(),
          exchange.backend() == null ? null : exchange.backendName(), routedModel, operation,
          exchange.body.stream(), exchange.upstreamStatus, exchange.usage, exchange.bytesIn, exchange.bytesOut,
          exchange.errorCode, callerOf(exchange), exchange.upstreamViolation, guardrailsOf(exchange),
          routeReasonOf(exchange)));
    }
    if (audit != null) { // audit log hook: one record per audited exchange, queued without blocking
      var record = AuditEntries.of(exchange, status, duration, audit.content());
      if (record != null) {
        audit.submit(record);
      }
    }
    exchange.context.complete(new ExchangeSummary(exchange.requestId, status,
        exchange.usage == null ? TokenUsage.NONE : exchange.usage, routedModel,
        exchange.match() == null ? null : exchange.routeName(), exchange.backend() == null ? null : exchange.backendName(),
        exchange.errorCode, Duration.ofNanos(duration), exchange.ttftNanos < 0 ? null : Duration.ofNanos(exchange.ttftNanos),
        exchange.context.attributes().snapshot()));
  }

  /** The SemanticRoute decision's reason, or null when no router decided. */
  private static String routeReasonOf(Exchange exchange) {
    var decision = exchange.context.attributes().get(dev.aigis.core.routing.semantic.RouteAttributes.DECISION);
    return decision == null ? null : decision.reason();
  }

  /** {@code injection:blocked,pii:redacted}: what the exchange's guards decided, for the access log; null when none fired. */
  private static String guardrailsOf(Exchange exchange) {
    var findings = exchange.context.attributes().get(dev.aigis.core.guard.processor.GuardAttributes.FINDINGS);
    if (findings == null || findings.all().isEmpty()) {
      return null;
    }
    return String.join(",", findings.all().stream().map(f -> f.guard() + ":" + f.decision()).toList());
  }
}
