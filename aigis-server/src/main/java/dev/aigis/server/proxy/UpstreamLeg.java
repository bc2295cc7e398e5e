package dev.aigis.server.proxy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.backend.BackendAdapter;
import dev.aigis.core.backend.BackendTarget;
import dev.aigis.core.processing.Scheduler;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.routing.WeightedBackend;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.backend.BackendTimeouts;
import dev.aigis.model.route.RouteTimeouts;
import dev.aigis.model.snapshot.ResolvedBackend;
import dev.aigis.server.egress.EgressTlsException;
import dev.aigis.server.gcp.VertexTokens;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The one upstream leg of the data plane, for every backend adapter: credentials (through the
 * backend's auth strategy), the header policy, pooled clients, the route's and the backend's
 * timeouts, and the mapping of connection failures to gateway errors.
 *
 * <p>An {@link Attempt} is a value: until the response head has been written to the client it can
 * be sent again, to the same backend or another (the seam retries and failover decorate). The
 * request body is a byte array whenever it was buffered, so re-sending it is safe; a body that
 * streams through unbuffered (non-JSON uploads) can be sent once.
 */
final class UpstreamLeg {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UpstreamLeg.class);

  /** One try of an exchange against one backend. */
  record Attempt(WeightedBackend backend, BackendAdapter adapter, int number) {

    /** The same request to another backend (failover) or again (retry), before the response head is written. */
    Attempt next(WeightedBackend to, BackendAdapter adapter) {
      return new Attempt(to, adapter, number + 1);
    }
  }

  /**
   * What becomes of an attempt that failed before any of its answer reached the client (no
   * connection, a reset, a header timeout). The default fails the exchange with the error; a retry
   * or failover policy decorates it ({@link UpstreamLeg#UpstreamLeg(Vertx, UpstreamClients,
   * ExchangeCompletion, Scheduler, UnaryOperator)}) and hands {@code resend} the {@link
   * Attempt#next} instead: it sends that attempt with the same answer handler.
   */
  @FunctionalInterface
  interface AttemptFailure {
    /**
     * @param resend sends another attempt of this exchange; null when the request body was piped
     *     to the upstream as it arrived and cannot be sent again
     */
    void failed(Exchange exchange, Attempt attempt, GatewayError error, Consumer<Attempt> resend);
  }

  /** Receives an attempt's response head, once no retry wants it: the attempt says which adapter relays it. */
  @FunctionalInterface
  interface AttemptAnswer {
    void answered(Attempt attempt, HttpClientResponse response);
  }

  /** Headers that describe the client's own API: a translated request gets the backend's from the adapter. */
  private static final Set<String> CLIENT_API_HEADERS = Set.of(
      "host", "content-length", "content-type", "accept", "accept-encoding", "authorization", "x-api-key", "api-key");

  private static final Scheduler.Cancellable NO_TIMER = () -> { };

  private final Vertx vertx;
  private final UpstreamClients clients;
  private final ExchangeCompletion completion;
  private final Scheduler timers;
  private final VertexTokens vertexTokens;
  private final AttemptFailure onFailure;
  private final ForwardedFor forwardedFor;
  private final Traffic traffic;

  /**
   * @param policy decorates the default failure handling (which fails the exchange)
   * @param forwardedFor how much of a received {@code X-Forwarded-For} to keep
   * @param traffic retries, failover, circuit breakers and concurrency caps; {@code policy} decorates its retries
   */
  UpstreamLeg(Vertx vertx, UpstreamClients clients, ExchangeCompletion completion, Scheduler timers,
      UnaryOperator<AttemptFailure> policy, ForwardedFor forwardedFor, Traffic traffic) {
    this.forwardedFor = forwardedFor;
    this.traffic = traffic;
    this.vertx = vertx;
    this.clients = clients;
    this.completion = completion;
    this.timers = timers;
    this.vertexTokens = clients.vertexTokens();
    this.onFailure = policy.apply(traffic.retries(timers).apply(
        (exchange, attempt, error, resend) -> completion.fail(exchange, error)));
  }

  /**
   * Prepares and sends one attempt, once its backend admits it (concurrency cap, circuit breaker);
   * {@code answer} gets the upstream's response head unless the route retries its status.
   */
  void send(Exchange exchange, Attempt attempt, AttemptAnswer answer) {
    startRequestDeadline(exchange);
    if (attempt.backend() != exchange.backend()) {
      exchange.context.sendingTo(attempt.backend());
    }
    ResolvedBackend backend = attempt.backend().backend();
    BackendEndpoint.Url url = (BackendEndpoint.Url) backend.backend().endpoint();
    withCredential(exchange, backend, credential -> {
      exchange.credential = credential;
      UpstreamCall call;
      try {
        call = attempt.adapter().prepare(exchange.processed,
            new BackendTarget(backend, url.basePath(), url.authority(), credential, exchange.query));
      } catch (TranslationException e) {
        completion.fail(exchange, e.error());
        return;
      }
      // A body sent from a buffer can be sent again; one piped from the client cannot.
      Consumer<Attempt> resend = call.body() != null ? next -> {
        exchange.nextAttempt();
        send(exchange, next, answer);
      } : null;
      String name = attempt.backend().backend().key();
      GatewayError refused = traffic.admit(exchange, attempt);
      if (refused != null) {
        exchange.attemptEnded = new dev.aigis.server.audit.AuditRecord.Attempt(name, url.authority(), null, refused.code());
        onFailure.failed(exchange, attempt, refused, resend);
        return;
      }
      exchange.attemptNumber = attempt.number();
      call(exchange, backend, attempt.adapter().nativeApi(), call, response -> {
        exchange.attemptEnded = new dev.aigis.server.audit.AuditRecord.Attempt(name, url.authority(),
            response.statusCode(), null);
        if (!traffic.retriesAnswer(exchange, attempt, response, resend, timers)) {
          answer.answered(attempt, response);
        }
      }, error -> {
        exchange.attemptEnded = new dev.aigis.server.audit.AuditRecord.Attempt(name, url.authority(), null, error.code());
        onFailure.failed(exchange, attempt, error, resend);
      });
    });
  }

  /** The credential for this attempt: the backend's key, or for GCP service accounts an OAuth token (usually cached). */
  void withCredential(Exchange exchange, ResolvedBackend backend, Consumer<String> then) {
    if (backend.backend().schema() != ApiSchema.GCPVertexAI) {
      then.accept(backend.apiKey());
      return;
    }
    Context context = vertx.getOrCreateContext();
    Future<String> token;
    try {
      token = vertexTokens.source(backend).token();
    } catch (RuntimeException e) { // a key that parsed as JSON but is no RSA key
      completion.fail(exchange, tokenError(exchange, e.getMessage()));
      return;
    }
    token.onComplete(ar -> {
      Runnable next = () -> {
        if (exchange.finished()) {
          return;
        }
        if (ar.failed()) {
          completion.fail(exchange, tokenError(exchange, ar.cause().getMessage()));
        } else {
          then.accept(ar.result());
        }
      };
      if (Vertx.currentContext() == context) {
        next.run();
      } else {
        context.runOnContext(v -> next.run());
      }
    });
  }

  private static GatewayError tokenError(Exchange exchange, String detail) {
    return new GatewayError.ProviderError(502, "authentication_error", "token_unavailable",
        "Cannot obtain a Vertex AI access token for backend " + exchange.backendName() + ": " + detail, "gcp.vertex_ai");
  }

  /**
   * Sends one upstream call; {@code then} gets the answer's head, on the exchange's event loop, and
   * {@code failed} a failure that came before it.
   */
  void call(Exchange exchange, ResolvedBackend backend, boolean nativeApi, UpstreamCall call,
      Consumer<HttpClientResponse> then, Consumer<GatewayError> failed) {
    BackendEndpoint.Url url = (BackendEndpoint.Url) backend.backend().endpoint();
    BackendTimeouts timeouts = backend.timeouts();
    exchange.upstreamStatus = 0;
    var options = new RequestOptions()
        .setMethod(HttpMethod.valueOf(call.method()))
        .setURI(call.pathAndQuery())
        .setIdleTimeout(timeouts.idle().toMillis());
    long headerTimeout = headerTimeoutMillis(timeouts, exchange.match().rule().timeouts());
    GatewayError refused = egressRefused(exchange, url);
    if (refused != null) {
      completion.fail(exchange, refused); // a policy decision: not retried, not failed over
      return;
    }
    if (backend.egress() != null && backend.egress().caProblem() != null) {
      clients.egressMetrics().tlsFailure(exchange.backendName(), EgressTlsException.Check.CA_UNUSABLE.label);
      failed.accept(new GatewayError.UpstreamTlsFailed(exchange.backendName(), backend.egress().caProblem()));
      return;
    }
    var endpoint = UpstreamClients.EndpointKey.of(backend);
    clients.client(endpoint).request(clients.target(endpoint, options)).onComplete(ar -> {
      if (exchange.finished()) {
        if (ar.succeeded()) {
          ar.result().reset();
        }
        return;
      }
      if (ar.failed()) {
        failed.accept(connectError(exchange, backend, ar.cause(), timeouts.connect()));
        return;
      }
      HttpClientRequest upstream = ar.result();
      exchange.upstream = upstream;
      headers(exchange, backend, url, nativeApi, call, upstream.headers());
      // Whichever comes first, the head or the header timeout, settles the attempt; the other is ignored
      // (the reset after a timeout fails the response future, and a retry may already be under way).
      var settled = new AtomicBoolean();
      // The request's idle timeout already bounds a wait that is as long or longer: no timer then
      // (the common case, with the defaults), which saves a timer per request.
      Scheduler.Cancellable timer = headerTimeout >= timeouts.idle().toMillis() ? NO_TIMER
          : timers.schedule(Duration.ofMillis(headerTimeout), () -> {
            if (!exchange.finished() && settled.compareAndSet(false, true)) {
              failed.accept(new GatewayError.UpstreamTimeout(exchange.backendName(), headerTimeout));
              upstream.reset();
            }
          });
      var response = call.body() != null ? upstream.send(Buffer.buffer(call.body()))
          : hasBody(exchange.request) ? upstream.send(exchange.request)
          : upstream.send(); // no body: no chunked framing for a GET
      response.onComplete(res -> {
        timer.cancel();
        if (exchange.finished() || !settled.compareAndSet(false, true)) {
          return;
        }
        if (res.failed()) {
          failed.accept(connectError(exchange, backend, res.cause(), Duration.ofMillis(headerTimeout)));
          return;
        }
        exchange.upstreamStatus = res.result().statusCode();
        then.accept(res.result());
      });
    });
  }

  /**
   * The headers the upstream sees, one policy for every adapter: the request's end-to-end headers
   * as the processors and route filters left them, minus what the gateway owns (hop-by-hop, Host,
   * the body length when the body is sent from a buffer, the client's credentials in any of their
   * headers unless the backend forwards them, cookies always) and, when the backend speaks another API, the headers that describe the
   * client's; then Host (a URLRewrite's, else the endpoint's), the request id, and the adapter's own
   * (credentials, API version, content type).
   */
  private void headers(Exchange exchange, ResolvedBackend backend, BackendEndpoint.Url url, boolean nativeApi,
      UpstreamCall call, MultiMap out) {
    boolean forwardAuthorization = nativeApi && backend.backend().forwardClientAuthorization();
    boolean buffered = call.body() != null;
    // A backend's own credential header ({@code spec.credentials.header}) is the client's too.
    String credentialHeader = dev.aigis.core.backend.BackendAuth.headerOf(backend);
    String connection = exchange.request.getHeader(HttpHeaders.CONNECTION);
    for (Map.Entry<String, String> header : exchange.processed.headers().entries()) {
      String name = header.getKey();
      if (HopByHop.is(name) || name.equalsIgnoreCase("host") || HopByHop.namedByConnection(connection, name)
          || name.equalsIgnoreCase("expect") // the gateway answered it; the upstream gets the whole body at once
          || name.equalsIgnoreCase("x-forwarded-for")
          || (buffered && name.equalsIgnoreCase("content-length")) // Vert.x sets it from the buffer sent
          || (!forwardAuthorization && (isClientCredential(name) || name.equalsIgnoreCase(credentialHeader)))
          || name.equalsIgnoreCase("cookie")
          || (!nativeApi && describesClientApi(name))) {
        continue;
      }
      out.add(name, header.getValue());
    }
    String host = exchange.context.hostOverride();
    out.set(HttpHeaders.HOST, host != null ? host : url.authority());
    out.set("x-request-id", exchange.requestId);
    out.set(Traffic.ATTEMPT_HEADER, Integer.toString(exchange.attemptNumber));
    var remote = exchange.request.remoteAddress();
    out.set("x-forwarded-for", forwardedFor.chain(exchange.request.getHeader("x-forwarded-for"),
        remote == null ? "unknown" : remote.hostAddress()));
    if (exchange.endpoint.requiresModel() || !nativeApi) {
      out.set(HttpHeaders.ACCEPT_ENCODING, "identity"); // usage is read from the body, so no compression
    }
    if (!nativeApi) {
      out.set(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    for (Map.Entry<String, String> header : call.headers().entrySet()) {
      if (header.getValue().isEmpty()) {
        out.remove(header.getKey()); // the adapter filtered out every value the client sent
      } else {
        out.set(header.getKey(), header.getValue());
      }
    }
  }

  /**
   * The client's credentials, in whichever header its SDK puts them: for the gateway, never for the
   * provider, unless the backend forwards the client's own key ({@code forwardClientAuthorization}).
   */
  private static boolean isClientCredential(String name) {
    return name.equalsIgnoreCase("authorization") || name.equalsIgnoreCase("x-api-key")
        || name.equalsIgnoreCase("api-key") || name.equalsIgnoreCase("x-goog-api-key");
  }

  /** Whether the client's request declares a body (RFC 9112 §6.3): a length or a transfer coding. */
  private static boolean hasBody(io.vertx.core.http.HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || (length != null && !length.trim().equals("0"))
        || request.version() == io.vertx.core.http.HttpVersion.HTTP_2 && !request.isEnded();
  }

  private static boolean describesClientApi(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return CLIENT_API_HEADERS.contains(lower) || lower.startsWith("anthropic-") || lower.startsWith("openai-")
        || lower.startsWith("x-stainless-");
  }

  /**
   * The Gateway's EgressPolicy, checked against the host dialled and the Host sent (a URLRewrite or
   * a processor may have changed it): validation already refused backends outside the list, so a
   * refusal here means something pointed the request elsewhere. Counted and logged with the host.
   */
  private GatewayError egressRefused(Exchange exchange, BackendEndpoint.Url url) {
    java.util.List<String> allowed = exchange.gateway == null ? null : exchange.runtime.egressAllowList(exchange.gateway);
    if (allowed == null) {
      return null;
    }
    String override = exchange.context.hostOverride();
    for (String host : override == null ? java.util.List.of(url.host()) : java.util.List.of(url.host(), override)) {
      if (!dev.aigis.model.EgressPolicy.allows(allowed, host)) {
        String name = dev.aigis.model.EgressPolicy.normalize(host);
        clients.egressMetrics().refused(exchange.gateway);
        LOG.warn("egress refused: gateway={} route={} backend={} host={} request_id={}", exchange.gateway,
            exchange.routeName(), exchange.backendName(), name, exchange.requestId);
        return new GatewayError.EgressRefused(name);
      }
    }
    return null;
  }

  /** The error a failed connection or request becomes; a TLS failure is counted by the check that failed. */
  private GatewayError connectError(Exchange exchange, ResolvedBackend backend, Throwable cause, Duration timeout) {
    String proxy = dev.aigis.server.egress.ProxyFailures.describe(cause,
        backend.egress() == null ? null : backend.egress().proxy());
    if (proxy != null) {
      return new GatewayError.UpstreamProxyFailed(exchange.backendName(), proxy);
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof EgressTlsException tls) {
        clients.egressMetrics().tlsFailure(exchange.backendName(), tls.check().label);
        return new GatewayError.UpstreamTlsFailed(exchange.backendName(), tls.getMessage());
      }
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        // The JDK's text may quote the peer's alert or names; the check is stated, not echoed.
        clients.egressMetrics().tlsFailure(exchange.backendName(), EgressTlsException.Check.HANDSHAKE.label);
        return new GatewayError.UpstreamTlsFailed(exchange.backendName(), "the TLS handshake failed");
      }
    }
    if (cause instanceof TimeoutException
        || cause instanceof io.netty.channel.ConnectTimeoutException
        || (cause.getMessage() != null && cause.getMessage().contains("timed out"))) {
      return new GatewayError.UpstreamTimeout(exchange.backendName(), timeout.toMillis());
    }
    return new GatewayError.UpstreamUnreachable(exchange.backendName());
  }

  /**
   * How long to wait for response headers: the backend's {@code response} timeout, shortened by the
   * route's {@code backendRequest} (Gateway API: one request to the backend). Zero means "no
   * timeout" in Gateway API and leaves the backend's value in force.
   */
  static long headerTimeoutMillis(BackendTimeouts backend, RouteTimeouts route) {
    long millis = backend.response().toMillis();
    if (route != null && route.backendRequest() != null && !route.backendRequest().isZero()) {
      millis = Math.min(millis, route.backendRequest().toMillis());
    }
    return Math.max(1, millis);
  }

  /**
   * The route's {@code request} timeout bounds the whole exchange, from the first request byte to
   * the last response byte, as Gateway API defines it, whichever adapter serves it. Before the
   * response starts the client gets a 504; a stream already under way ends with an error event.
   * Started once per exchange, however many attempts it makes.
   */
  private void startRequestDeadline(Exchange exchange) {
    RouteTimeouts route = exchange.match().rule().timeouts();
    if (exchange.deadlineStarted || route == null || route.request() == null || route.request().isZero()) {
      return;
    }
    exchange.deadlineStarted = true;
    long elapsedMillis = (System.nanoTime() - exchange.startNanos) / 1_000_000;
    long limit = route.request().toMillis();
    timers.schedule(Duration.ofMillis(Math.max(1, limit - elapsedMillis)), () -> {
      if (!exchange.finished()) {
        completion.fail(exchange, new GatewayError.UpstreamTimeout(exchange.backendName(), limit));
        exchange.resetUpstream();
      }
    });
  }
}
