package dev.aigis.server.proxy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.provider.EmbeddingsTranslator;
import dev.aigis.core.openai.OpenAiRequestInspector;
import dev.aigis.core.openai.RequestRejected;
import dev.aigis.core.routing.RequestHead;
import dev.aigis.core.routing.RouteMatchResult;
import dev.aigis.core.routing.WeightedBackend;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.route.RouteFilter;
import dev.aigis.server.ServerOptions;
import dev.aigis.server.metrics.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The data plane's request handler for one port: reads the body when routing needs it, runs the
 * built-in model-header step, matches a route once, picks a weighted backend and hands over to
 * the echo model or the upstream proxy. Every refusal is rendered in the OpenAI error format.
 *
 * <p>Runs on the event loop of the downstream connection and never blocks.
 */
public final class AiRequestHandler implements Handler<HttpServerRequest> {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AiRequestHandler.class);

  private final int port;
  private final Supplier<RuntimeConfig> config;
  private final ServerOptions options;
  private final UpstreamProxy proxy;
  private final EchoResponder echo;
  private final ExchangeCompletion completion;
  private final ProcessingFlow processingFlow;
  private final TranslatingProxy translating;
  /** Weighted picks need a fast, not a secure, source; one per handler, used from its event loop only. */
  private final ThreadLocal<SplittableRandom> random = ThreadLocal.withInitial(SplittableRandom::new);

  public AiRequestHandler(
      int port, Supplier<RuntimeConfig> config, ServerOptions options, UpstreamClients clients, GatewayMetrics metrics,
      io.vertx.core.Vertx vertx) {
    this.port = port;
    this.config = config;
    this.options = options;
    this.completion = new ExchangeCompletion(metrics, options.accessLog(), options.debugHeaders());
    ChainRunner chains = new ChainRunner(vertx, completion, metrics);
    this.proxy = new UpstreamProxy(vertx, clients, completion, chains);
    this.echo = new EchoResponder(completion, chains);
    this.processingFlow = new ProcessingFlow(chains, completion, this::dispatchBackend);
    this.translating = new TranslatingProxy(vertx, clients, completion, chains);
  }

  @Override
  public void handle(HttpServerRequest request) {
    String requestId = request.getHeader("x-request-id");
    var exchange = new Exchange(request, requestId != null ? requestId : RequestIds.next());
    request.response().closeHandler(v -> onClientGone(exchange));
    try {
      dispatch(exchange);
    } catch (RuntimeException e) {
      internalError(exchange, e);
    }
  }

  /** A bug, not a client or upstream fault: logged with its stack, answered with a generic 500. */
  private void internalError(Exchange exchange, RuntimeException e) {
    LOG.error("request {} failed inside the gateway", exchange.requestId, e);
    completion.fail(exchange, new GatewayError.Internal("Internal gateway error; request id " + exchange.requestId));
  }

  private void dispatch(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    exchange.runtime = config.get();
    if (exchange.endpoint == ApiEndpoint.MODELS && request.method() == HttpMethod.GET) {
      ModelsResponder.respond(exchange, exchange.runtime.port(port), completion);
      return;
    }
    if (!exchange.runtime.processing().isEmpty()) {
      exchange.executor = ChainRunner.executorOf(Vertx.currentContext());
    }
    if (!needsBody(request, exchange.endpoint, exchange.runtime.processingNeedsBody())) {
      request.pause(); // the upstream request pipes the body through untouched
      afterBody(exchange, null);
      return;
    }
    readBody(exchange);
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

  /** The body is read (or will stream): processors when configured, otherwise the fast path. */
  private void afterBody(Exchange exchange, RequestBody body) {
    if (exchange.runtime.processing().isEmpty()) {
      route(exchange, body);
      return;
    }
    PortRoutes routes = exchange.runtime.port(port);
    HttpServerRequest request = exchange.request;
    PortRoutes.ListenerRouter listener = routes == null ? null
        : routes.listenerFor(request.authority() == null ? request.getHeader("host") : request.authority().toString());
    if (listener == null) {
      completion.fail(exchange, new GatewayError.RouteNotFound(request.method().name(), request.path()));
      return;
    }
    exchange.gateway = listener.gateway();
    processingFlow.start(exchange, exchange.runtime.processing(), listener, body, random.get());
  }

  private void readBody(Exchange exchange) {
    HttpServerRequest request = exchange.request;
    long limit = options.maxRequestBodyBytes();
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declaredLength = parseLength(declared);
    if (declaredLength > limit) {
      rejectOversize(exchange, limit);
      return;
    }
    Buffer body = Buffer.buffer(declaredLength > 0 ? (int) declaredLength : 1024);
    request.handler(chunk -> {
      if (exchange.finished()) {
        return;
      }
      if (body.length() + chunk.length() > limit) {
        rejectOversize(exchange, limit);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> {
      if (!exchange.finished()) {
        exchange.bytesIn = body.length();
        try {
          onBody(exchange, body);
        } catch (RuntimeException e) {
          internalError(exchange, e);
        }
      }
    });
    request.exceptionHandler(err -> completion.abort(exchange, 400, "client_body_error"));
  }

  private void rejectOversize(Exchange exchange, long limit) {
    // Closing after the answer stops the client from streaming the rest of a body we will not read.
    exchange.request.response().putHeader(HttpHeaders.CONNECTION, "close");
    completion.fail(exchange, new GatewayError.BodyTooLarge(limit));
  }

  private void onBody(Exchange exchange, Buffer body) {
    byte[] bytes = body.getBytes(); // Jackson parses arrays; the Buffer itself is what goes upstream
    try {
      if (exchange.endpoint.requiresModel() || (bytes.length > 0 && isJson(exchange.request))) {
        exchange.body = OpenAiRequestInspector.inspect(bytes);
      }
    } catch (RequestRejected rejected) {
      completion.fail(exchange, rejected.error());
      return;
    }
    if (exchange.endpoint.requiresModel() && exchange.body.model() == null) {
      completion.fail(exchange, new GatewayError.InvalidRequest("You must provide a model parameter", "model"));
      return;
    }
    afterBody(exchange, new RequestBody(body, bytes));
  }

  /** Matches a route (once), applies its URL filters and dispatches to the picked backend. */
  private void route(Exchange exchange, RequestBody body) {
    HttpServerRequest request = exchange.request;
    PortRoutes routes = exchange.runtime.port(port);
    // The body is the source of truth for the model: a client-sent header cannot route elsewhere.
    var head = new RequestHead(request.method().name(), request.authority() == null ? request.getHeader("host")
        : request.authority().toString(), request.path(), request.query(),
        new ModelHeaderView(request.headers(), exchange.body.model()));
    Optional<RouteMatchResult> matched = routes == null ? Optional.empty() : routes.match(head);
    if (matched.isEmpty()) {
      completion.fail(exchange, exchange.body.model() != null
          ? new GatewayError.ModelNotFound(exchange.body.model())
          : new GatewayError.RouteNotFound(request.method().name(), request.path()));
      return;
    }
    exchange.match = matched.get();
    exchange.routedModel = exchange.body.model();
    Optional<WeightedBackend> picked = exchange.match.backends().pick(random.get());
    if (picked.isEmpty()) {
      completion.fail(exchange, new GatewayError.NoBackend(exchange.routeName()));
      return;
    }
    exchange.backend = picked.get();
    String path = request.path();
    String hostOverride = null;
    for (RouteFilter filter : exchange.match.rule().filters()) {
      switch (filter) {
        case RouteFilter.RequestHeaderModifier m -> { } // applied to the upstream request's headers
        case RouteFilter.ResponseHeaderModifier m -> { } // applied to the response
        case RouteFilter.ExtensionRef ref -> { } // only with processors configured: ProcessingFlow runs it
        case RouteFilter.UrlRewrite rewrite -> {
          if (rewrite.hostname() != null) {
            hostOverride = rewrite.hostname();
          }
          if (rewrite.path() != null) {
            path = PathRewrite.apply(rewrite.path(), exchange.match.match(), path);
          }
        }
      }
    }
    dispatchBackend(exchange, path, hostOverride, body);
  }

  private void dispatchBackend(Exchange exchange, String path, String hostOverride, RequestBody body) {
    ApiSchema schema = exchange.backend.backend().backend().schema();
    switch (exchange.backend.backend().backend().endpoint()) {
      case BackendEndpoint.Builtin builtin -> echo.respond(exchange, body == null ? null : body.bytes());
      case BackendEndpoint.Url url when Providers.isNative(exchange.endpoint, schema) ->
          proxy.forward(exchange, url, path, hostOverride, body);
      case BackendEndpoint.Url url when exchange.endpoint == ApiEndpoint.ANTHROPIC_COUNT_TOKENS ->
          echo.countTokens(exchange, body == null ? null : body.bytes());
      case BackendEndpoint.Url url when Providers.isTranslatable(exchange.endpoint) && body != null ->
          translating.forward(exchange, url, body, Providers.codec(exchange.endpoint),
              Providers.translator(exchange.backend.backend()));
      case BackendEndpoint.Url url when exchange.endpoint == ApiEndpoint.EMBEDDINGS && body != null
          && Providers.embeddings(exchange.backend.backend()) instanceof EmbeddingsTranslator embeddings ->
          translating.forwardEmbeddings(exchange, url, body, embeddings);
      case BackendEndpoint.Url url -> completion.fail(exchange, new GatewayError.InvalidRequest(
          exchange.request.path() + " is not available on " + schema + " backends", null));
    }
  }

  private void onClientGone(Exchange exchange) {
    if (exchange.finished()) {
      return;
    }
    if (exchange.upstream != null) {
      exchange.upstream.reset();
    }
    completion.abort(exchange, 499, "client_closed");
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
