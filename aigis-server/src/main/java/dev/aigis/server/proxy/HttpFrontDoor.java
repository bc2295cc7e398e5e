package dev.aigis.server.proxy;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.backend.BackendAdapters;
import dev.aigis.core.backend.Route;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.ExchangePipeline;
import dev.aigis.core.exchange.RoutingBarrier;
import dev.aigis.core.exchange.Workers;
import dev.aigis.core.exchange.builtin.ModelHeaderStep;
import dev.aigis.core.api.QueryKey;
import dev.aigis.core.api.RequestInspection;
import dev.aigis.core.openai.RequestRejected;
import dev.aigis.core.processing.ChainOutcome;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessingObserver;
import dev.aigis.core.processing.Scheduler;
import dev.aigis.core.routing.RequestHead;
import dev.aigis.core.routing.RequestPaths;
import dev.aigis.core.routing.RouteMatchResult;
import dev.aigis.core.routing.WeightedBackend;
import dev.aigis.server.ServerOptions;
import dev.aigis.server.metrics.GatewayMetrics;
import dev.aigis.server.processing.CopyOnWriteHeaders;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.InstantSource;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The HTTP data plane's front door for one port, a thin adapter over the exchange pipeline: it
 * reads the body when something needs it, builds the exchange's context and the request processors
 * see, runs the Gateway's {@link ExchangePipeline} (model-header step, PreRouting, the routing
 * barrier, route filters, PostRouting), and hands what proceeds to the backend's adapter on the
 * one upstream leg. Every refusal is rendered in the caller's API format.
 *
 * <p>Runs on the event loop of the downstream connection and never blocks.
 */
public final class HttpFrontDoor implements Handler<HttpServerRequest> {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpFrontDoor.class);

  private final int port;
  private final Supplier<RuntimeConfig> config;
  private final ServerOptions options;
  private final Workers workers;
  private final ExchangeCompletion completion;
  private final ImmediateAnswers immediate;
  private final EchoResponder echo;
  private final UpstreamLeg leg;
  private final EventRelay relay;
  private final TranslatedCalls calls;
  private final Scheduler timers;
  private final ProcessingObserver observer;
  private final HeaderTimeout headerTimeout;
  private final ForwardedFor forwardedFor;
  private final Traffic traffic;
  /** nginx's {@code lingering_time}: the most time given to a client to finish a body the gateway refused. */
  static final java.time.Duration LINGER = java.time.Duration.ofSeconds(30);
  /** Weighted picks need a fast, not a secure, source; one per event-loop thread. */
  private final ThreadLocal<SplittableRandom> random = ThreadLocal.withInitial(SplittableRandom::new);

  public HttpFrontDoor(int port, Supplier<RuntimeConfig> config, ServerOptions options, UpstreamClients clients,
      GatewayMetrics metrics, Vertx vertx, Workers workers) {
    this(port, config, options, clients, metrics, vertx, workers, UnaryOperator.identity());
  }

  /** @param traffic retries, failover and backend limits, shared by every port so a backend has one circuit */
  public HttpFrontDoor(int port, Supplier<RuntimeConfig> config, ServerOptions options, UpstreamClients clients,
      GatewayMetrics metrics, Vertx vertx, Workers workers, Traffic traffic) {
    this(port, config, options, clients, metrics, vertx, workers, UnaryOperator.identity(), vertxTimers(vertx), traffic);
  }

  /** @param attemptPolicy decorates what becomes of a failed upstream attempt (see {@link UpstreamLeg.AttemptFailure}) */
  HttpFrontDoor(int port, Supplier<RuntimeConfig> config, ServerOptions options, UpstreamClients clients,
      GatewayMetrics metrics, Vertx vertx, Workers workers, UnaryOperator<UpstreamLeg.AttemptFailure> attemptPolicy) {
    this(port, config, options, clients, metrics, vertx, workers, attemptPolicy, vertxTimers(vertx));
  }

  /** @param timers the clock of the front door's timeouts (a test's manual one) */
  HttpFrontDoor(int port, Supplier<RuntimeConfig> config, ServerOptions options, UpstreamClients clients,
      GatewayMetrics metrics, Vertx vertx, Workers workers, UnaryOperator<UpstreamLeg.AttemptFailure> attemptPolicy,
      Scheduler timers) {
    this(port, config, options, clients, metrics, vertx, workers, attemptPolicy, timers,
        new Traffic(new dev.aigis.server.metrics.TrafficMetrics(metrics.registry()), InstantSource.system()));
  }

  HttpFrontDoor(int port, Supplier<RuntimeConfig> config, ServerOptions options, UpstreamClients clients,
      GatewayMetrics metrics, Vertx vertx, Workers workers, UnaryOperator<UpstreamLeg.AttemptFailure> attemptPolicy,
      Scheduler timers, Traffic traffic) {
    this.traffic = traffic;
    this.port = port;
    this.config = config;
    this.options = options;
    this.workers = workers;
    this.completion = new ExchangeCompletion(metrics, options.accessLog(), options.debugHeaders());
    this.immediate = new ImmediateAnswers(completion);
    ResponseHead head = new ResponseHead(completion, immediate);
    this.timers = timers;
    this.echo = new EchoResponder(completion, head);
    this.forwardedFor = new ForwardedFor(options.trustedHops());
    this.leg = new UpstreamLeg(vertx, clients, completion, timers, attemptPolicy, forwardedFor, traffic);
    this.relay = new EventRelay(completion, head, timers);
    this.calls = new TranslatedCalls(leg, relay, head, completion);
    this.headerTimeout = new HeaderTimeout(options.headerTimeout(), timers, metrics);
    this.observer = (chain, processor, stage, outcome, nanos) -> metrics.recordProcessor(
        new GatewayMetrics.ProcessorLabels(chain, processor, stage.name(), outcome.name()), nanos);
  }

  /**
   * Writes a record of every audited exchange to {@code audit} (null: off). Call before the front
   * door serves its first request.
   */
  public HttpFrontDoor audit(dev.aigis.server.audit.AuditLog audit) {
    completion.audit(audit);
    return this;
  }

  /** A client connection was accepted on this front door's port. */
  public void connected(HttpConnection connection) {
    headerTimeout.opened(connection);
  }

  /** A client connection closed. */
  public void disconnected(HttpConnection connection) {
    headerTimeout.closed(connection);
  }

  @Override
  public void handle(HttpServerRequest request) {
    HeaderTimeout.Watch idle = headerTimeout.headArrived(request);
    String requestId = request.getHeader("x-request-id");
    requestId = requestId != null ? requestId : RequestIds.next();
    String raw = request.path() == null ? "" : request.path();
    String path = raw;
    GatewayError badPath = null;
    try {
      path = RequestPaths.normalize(raw);
    } catch (RequestRejected e) {
      badPath = e.error();
    }
    var exchange = new Exchange(request, requestId, new ExchangeContext(requestId, ApiEndpoint.of(path), workers));
    exchange.path = path;
    exchange.query = request.query();
    if (exchange.endpoint.api() == dev.aigis.core.provider.InboundApi.Gemini) {
      QueryKey split = QueryKey.split(exchange.query);
      exchange.query = split.query();
      exchange.queryKey = split.key();
    }
    exchange.connectionIdle = idle;
    var remote = request.remoteAddress();
    exchange.context.clientAddress(forwardedFor.client(request.getHeader("x-forwarded-for"),
        remote == null ? "" : remote.hostAddress()));
    request.response().closeHandler(v -> onClientGone(exchange));
    if (badPath != null) {
      exchange.runtime = config.get();
      completion.fail(exchange, badPath);
      return;
    }
    try {
      dispatch(exchange);
    } catch (RuntimeException e) {
      internalError(exchange, e);
    }
  }

  /** A bug, not a client or upstream fault: logged with its stack, answered with a generic 500. */
  private void internalError(Exchange exchange, Throwable e) {
    LOG.error("request {} failed inside the gateway", exchange.requestId, e);
    completion.fail(exchange, new GatewayError.Internal("Internal gateway error; request id " + exchange.requestId));
  }

  private void dispatch(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    exchange.runtime = config.get();
    GatewayError framing = framingError(request);
    if (framing != null) {
      // The connection's framing is in doubt: answer, then close it so nothing behind can be smuggled.
      closeAfterAnswer(exchange);
      completion.fail(exchange, framing);
      return;
    }
    exchange.host = host(request);
    if (exchange.host == null && request.headers().contains(HttpHeaders.HOST)) {
      completion.fail(exchange, new GatewayError.InvalidRequest("The Host header is not a valid host", null));
      return;
    }
    if (request.version() == io.vertx.core.http.HttpVersion.HTTP_1_1
        && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      // curl waits for this before a body over 1 MB; the gateway takes the body, and the upstream
      // gets it whole without the expectation (UpstreamLeg drops Expect).
      request.response().writeContinue();
    }
    if (exchange.endpoint == ApiEndpoint.MODELS && request.method() == HttpMethod.GET) {
      listModels(exchange);
      return;
    }
    if (!needsBody(request, exchange.endpoint, exchange.runtime.requestBodyNeeded())) {
      request.pause(); // the upstream request pipes the body through untouched
      start(exchange, null);
      return;
    }
    readBody(exchange);
  }

  /** {@code GET /v1/models}: the port's models, only those the caller may use when its Gateway has an AccessPolicy. */
  private void listModels(Exchange exchange) {
    PortRoutes routes = exchange.runtime.port(port);
    PortRoutes.ListenerRouter listener = routes == null ? null : routes.listenerFor(exchange.host);
    var access = listener == null ? null : exchange.runtime.processing().policies().access(listener.gateway());
    if (access == null) {
      ModelsResponder.respond(exchange, routes == null ? java.util.List.of() : routes.models(), completion);
      return;
    }
    var processed = new ProcessedRequest(exchange.context, exchange.request.method().name(), exchange.path,
        new CopyOnWriteHeaders(exchange.request.headers()), null, null);
    Executor executor = executorOf(Vertx.currentContext());
    access.listModels(processed, routes.models()).whenCompleteAsync((listing, failure) -> {
      if (failure != null) {
        internalError(exchange, failure);
      } else if (listing.refusal() != null) {
        completion.fail(exchange, listing.refusal().error(), listing.refusal().headers());
      } else {
        ModelsResponder.respond(exchange, listing.models(), completion);
      }
    }, executor);
  }

  private static boolean needsBody(HttpServerRequest request, ApiEndpoint endpoint, boolean processorsReadBodies) {
    HttpMethod method = request.method();
    if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
      return false;
    }
    return endpoint.requiresModel() || processorsReadBodies || isJson(request);
  }

  private static boolean isJson(HttpServerRequest request) {
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    return contentType != null && contentType.regionMatches(true, 0, "application/json", 0, 16);
  }

  private void readBody(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    long limit = options.maxRequestBodyBytes();
    long declaredLength = parseLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
    if (declaredLength > limit) {
      rejectOversize(exchange, limit);
      return;
    }
    Buffer body = Buffer.buffer(declaredLength > 0 ? (int) declaredLength : 1024);
    var stall = new BodyStall(exchange);
    request.handler(chunk -> {
      if (exchange.finished()) {
        return;
      }
      stall.progress();
      if (body.length() + chunk.length() > limit) {
        rejectOversize(exchange, limit);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> {
      stall.cancel();
      if (!exchange.finished()) {
        exchange.bytesIn = body.length();
        try {
          onBody(exchange, body.getBytes());
        } catch (RuntimeException e) {
          internalError(exchange, e);
        }
      }
    });
    request.exceptionHandler(err -> completion.abort(exchange, 400, "client_body_error"));
  }

  /**
   * Ends an exchange whose request body stops arriving for {@code bodyStallTimeout}: a 408, and
   * the connection closes (nginx's {@code client_body_timeout}). Each chunk restarts the clock.
   */
  private final class BodyStall {
    private final Exchange exchange;
    private final Context context = Vertx.currentContext();
    private Scheduler.Cancellable timer;

    BodyStall(Exchange exchange) {
      this.exchange = exchange;
      progress();
    }

    void progress() {
      cancel();
      timer = timers.schedule(options.bodyStallTimeout(), () -> context.runOnContext(v -> {
        if (!exchange.finished()) {
          // The body never ended, so HTTP/1.1 keep-alive would wait for it: close once answered.
          closeAfterAnswer(exchange);
          completion.fail(exchange, new GatewayError.BodyStalled(options.bodyStallTimeout().toSeconds()));
        }
      }));
    }

    void cancel() {
      if (timer != null) {
        timer.cancel();
      }
    }
  }

  /**
   * Says {@code Connection: close} and closes once the answer is written: Vert.x keeps a connection
   * open after a response that says so unless the request did, and would go on to serve requests
   * already read behind this one.
   */
  private static void closeAfterAnswer(Exchange exchange) {
    HttpServerResponse response = exchange.request.response();
    response.putHeader(HttpHeaders.CONNECTION, "close");
    response.endHandler(end -> exchange.request.connection().close());
  }

  /**
   * Like {@link #closeAfterAnswer}, for a client that may still be sending a body the gateway will
   * not read: the rest is read and dropped until the body ends, for at most {@link #LINGER}, before
   * the connection closes (nginx's lingering close). Closing with unread bytes makes the kernel
   * reset the connection, and a client still writing then often never sees the answer.
   */
  private void closeAfterAnswerLingering(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    HttpServerResponse response = request.response();
    response.putHeader(HttpHeaders.CONNECTION, "close");
    response.endHandler(end -> {
      if (request.isEnded()) {
        request.connection().close();
        return;
      }
      Scheduler.Cancellable limit = timers.schedule(LINGER, () -> request.connection().close());
      request.handler(dropped -> {});
      request.endHandler(v -> {
        limit.cancel();
        request.connection().close();
      });
      request.resume();
    });
  }

  private void rejectOversize(Exchange exchange, long limit) {
    // Closing after the answer stops the client from streaming the rest of a body we will not read.
    closeAfterAnswerLingering(exchange);
    completion.fail(exchange, new GatewayError.BodyTooLarge(limit));
  }

  private void onBody(Exchange exchange, byte[] bytes) {
    try {
      if (exchange.endpoint.requiresModel() || (bytes.length > 0 && isJson(exchange.request))) {
        exchange.body = RequestInspection.inspect(exchange.endpoint, exchange.path, bytes);
      }
    } catch (RequestRejected rejected) {
      completion.fail(exchange, rejected.error());
      return;
    }
    if (exchange.endpoint.requiresModel() && exchange.body.model() == null) {
      completion.fail(exchange, new GatewayError.InvalidRequest("You must provide a model parameter", "model"));
      return;
    }
    start(exchange, bytes);
  }

  /** Runs the Gateway's pipeline on the request; what proceeds goes to its backend. */
  private void start(Exchange exchange, byte[] body) {
    HttpServerRequest request = exchange.request;
    String host = exchange.host;
    PortRoutes routes = exchange.runtime.port(port);
    PortRoutes.ListenerRouter listener = routes == null ? null : routes.listenerFor(host);
    if (listener == null) {
      completion.fail(exchange, notFound(exchange.body.model(), request.method().name(), exchange.path));
      return;
    }
    exchange.processed = new ProcessedRequest(exchange.context, request.method().name(), exchange.path,
        new CopyOnWriteHeaders(request.headers()), body, exchange.body.model());
    if (exchange.queryKey != null) {
      // Presented like the header Google's SDKs use, so authentication and stripping treat both alike.
      exchange.processed.headers().add(QueryKey.HEADER, exchange.queryKey);
    }
    exchange.gateway = listener.gateway();
    ExchangePipeline pipeline = exchange.runtime.pipeline(listener.gateway());
    exchange.run = pipeline.start(exchange.context, executorOf(Vertx.currentContext()), timers, observer);
    SplittableRandom picks = random.get();
    RoutingBarrier barrier = processed -> route(exchange, listener, host, processed, picks, traffic);
    var outcome = exchange.run.request(exchange.processed, barrier);
    outcome.whenComplete((result, failure) -> {
      if (exchange.finished()) {
        return;
      }
      if (failure != null) {
        internalError(exchange, failure);
        return;
      }
      try {
        switch (result) {
          case ChainOutcome.Proceed p -> toBackend(exchange);
          case ChainOutcome.Respond respond -> immediate.send(exchange, respond.response());
          case ChainOutcome.Fail fail -> completion.fail(exchange, fail.error(), fail.headers());
        }
      } catch (RuntimeException e) {
        internalError(exchange, e);
      }
    });
  }

  /**
   * The routing barrier: matches the processed request once and picks a weighted backend of the
   * lowest priority, or of the next one when its circuit breakers eject them all.
   */
  private static GatewayError route(Exchange exchange, PortRoutes.ListenerRouter listener, String host,
      ProcessedRequest processed, SplittableRandom random, Traffic traffic) {
    var head = new RequestHead(processed.method(), host, processed.path(), exchange.query, processed.headers());
    Optional<RouteMatchResult> matched = listener.router().match(head);
    String model = processed.headers().get(ModelHeaderStep.MODEL_HEADER);
    if (matched.isEmpty()) {
      return notFound(model, processed.method(), processed.path());
    }
    var backends = matched.get().backends();
    Optional<WeightedBackend> first = backends.pick(random);
    Optional<WeightedBackend> picked = first.isEmpty() || traffic.healthy(first.get()) ? first
        : backends.pick(random, traffic::healthy);
    exchange.context.routed(matched.get(), picked.orElse(null), model);
    if (picked.isEmpty()) {
      return first.isEmpty() ? new GatewayError.NoBackend(exchange.routeName())
          : new GatewayError.NoHealthyBackend(exchange.routeName());
    }
    return null;
  }

  private static GatewayError notFound(String model, String method, String path) {
    return model != null ? new GatewayError.ModelNotFound(model) : new GatewayError.RouteNotFound(method, path);
  }

  /** Sends what the processors left to the picked backend, through its adapter. */
  private void toBackend(Exchange exchange) {
    ProcessedRequest processed = exchange.processed;
    if (processed.bodyChanged()) {
      try {
        exchange.body = RequestInspection.inspect(exchange.endpoint, exchange.path, processed.body());
      } catch (RequestRejected rejected) {
        completion.fail(exchange, new GatewayError.Internal("A processor produced a request body that is not a JSON object"));
        return;
      }
    }
    WeightedBackend backend = exchange.backend();
    Route route = BackendAdapters.route(exchange.endpoint, backend.backend(), exchange.body, processed.hasBody(),
        InstantSource.system());
    switch (route) {
      case Route.Echo e -> echo.respond(exchange);
      case Route.CountTokens c -> echo.countTokens(exchange);
      case Route.Refused refused -> completion.fail(exchange, refused.error());
      case Route.Calls c -> calls.send(exchange, c.translator());
      case Route.Upstream upstream -> leg.send(exchange, new UpstreamLeg.Attempt(backend, upstream.adapter(), 1),
          (attempt, response) -> relay.relay(exchange, attempt.adapter(), response));
    }
  }

  private void onClientGone(Exchange exchange) {
    // An HTTP/2 stream closes as soon as the response ends, before the front door records the
    // exchange it just finished: a close after the end is that, not a client leaving.
    if (exchange.finished() || exchange.request.response().ended()) {
      return;
    }
    // Recorded first: resetting the upstream fails its response, which must find the exchange done
    // (else the client's leaving would be counted as an upstream failure).
    completion.abort(exchange, 499, "client_closed");
    exchange.resetUpstream();
  }

  private static Scheduler vertxTimers(Vertx vertx) {
    return (delay, task) -> {
      long id = vertx.setTimer(Math.max(1, delay.toMillis()), t -> task.run());
      return () -> vertx.cancelTimer(id);
    };
  }

  /** An executor that runs on {@code context}, inline when already there. */
  static Executor executorOf(Context context) {
    return command -> {
      if (Vertx.currentContext() == context) {
        command.run();
      } else {
        context.runOnContext(v -> command.run());
      }
    };
  }

  /**
   * HTTP/1.1 requests whose target a proxy must not guess at (RFC 9112 §3.2): none or several Host
   * headers. (Content-Length next to Transfer-Encoding never gets here: Netty's decoder drops the
   * length and reads the chunks, as RFC 9112 §6.1 says.)
   */
  private static GatewayError framingError(HttpServerRequest request) {
    if (request.version() != io.vertx.core.http.HttpVersion.HTTP_1_1) {
      return null;
    }
    if (request.headers().contains(LengthAndChunkedGuard.MARK)) {
      return new GatewayError.InvalidRequest(
          "A request must not have both Content-Length and Transfer-Encoding", null);
    }
    int hosts = request.headers().getAll(HttpHeaders.HOST).size();
    if (hosts != 1) {
      return new GatewayError.InvalidRequest(hosts == 0
          ? "An HTTP/1.1 request must have a Host header" : "A request must have exactly one Host header", null);
    }
    return null;
  }

  /** The request's host and port as the client named them; null when they do not parse as a host. */
  private static String host(HttpServerRequest request) {
    try {
      return request.authority() == null ? request.getHeader("host") : request.authority().toString();
    } catch (RuntimeException e) { // Vert.x parses the authority on first use and throws on e.g. "a%zz"
      return null;
    }
  }

  private static long parseLength(String value) {
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
