package dev.aigis.core.exchange;

import dev.aigis.core.api.AnthropicErrorRenderer;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.ErrorRenderer;
import dev.aigis.core.api.OpenAiErrorRenderer;
import dev.aigis.core.api.ResponsesErrorRenderer;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.routing.RouteMatchResult;
import dev.aigis.core.routing.WeightedBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What a processor knows of its exchange beyond the message itself: the client API and its error
 * renderer, the route and backend once routing has run, typed attributes, the pivot view of the
 * request, the bounded worker pool, and the completion hook. One per exchange, created by the
 * front door (HTTP data plane or ext_proc server) and reached from the request a processor gets
 * ({@link ProcessedRequest#context()}).
 *
 * <p>Threading: confined to the exchange's executor like the request it belongs to.
 */
public final class ExchangeContext {

  private static final System.Logger LOG = System.getLogger(ExchangeContext.class.getName());

  private final String requestId;
  private final ApiEndpoint endpoint;
  private final ErrorRenderer errors;
  private final Workers workers;
  private final Attributes attributes = new Attributes();
  private ProcessedRequest request;
  private PivotView pivot;
  private RouteMatchResult route;
  /** {@code namespace/name} of {@link #route}, built once: metrics, logs and policies ask for it per attempt. */
  private String routeName = "";
  private WeightedBackend backend;
  private String model;
  private UnaryOperator<String> upstreamPathRewrite = UnaryOperator.identity();
  private String hostOverride;
  private String clientAddress = "";
  private List<Consumer<ExchangeSummary>> completionHooks;
  private boolean completed;

  public ExchangeContext(String requestId, ApiEndpoint endpoint, Workers workers) {
    this.requestId = Objects.requireNonNull(requestId, "requestId");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.errors = errorsFor(endpoint);
    this.workers = workers;
  }

  /** The error format of the endpoint's client API. */
  public static ErrorRenderer errorsFor(ApiEndpoint endpoint) {
    if (endpoint == ApiEndpoint.RESPONSES) {
      return ResponsesErrorRenderer.INSTANCE;
    }
    return switch (endpoint.api()) {
      case Anthropic -> AnthropicErrorRenderer.INSTANCE;
      case Gemini -> dev.aigis.core.api.GeminiErrorRenderer.INSTANCE;
      case OpenAI -> OpenAiErrorRenderer.INSTANCE;
    };
  }

  public String requestId() {
    return requestId;
  }

  /** The client endpoint, which names the client API. */
  public ApiEndpoint endpoint() {
    return endpoint;
  }

  public InboundApi clientApi() {
    return endpoint.api();
  }

  /** Renders every error and immediate answer of this exchange in the caller's format. */
  public ErrorRenderer errors() {
    return errors;
  }

  public Attributes attributes() {
    return attributes;
  }

  /** The bounded pool for CPU-heavy work; null in contexts made without one (tests). */
  public Workers workers() {
    return workers;
  }

  /** The request as processors see it. */
  public ProcessedRequest request() {
    return request;
  }

  /** Called by {@link ProcessedRequest}'s constructor: a request and its context belong together. */
  public void attach(ProcessedRequest request) {
    if (this.request != null && this.request != request) {
      throw new IllegalStateException("context already has a request");
    }
    this.request = request;
  }

  /** The request in chat-pivot form, built on first use. */
  public PivotView pivot() {
    if (pivot == null) {
      pivot = new PivotView(this);
    }
    return pivot;
  }

  /** Told by the request when its body bytes are replaced. */
  public void bodyReplaced() {
    if (pivot != null) {
      pivot.bodyReplaced();
    }
  }

  /** Whether a processor edited the pivot (the upstream request is then built from it). */
  public boolean pivotEdited() {
    return pivot != null && pivot.isEdited();
  }

  /** The matched route, once the routing barrier passed; null before. */
  public RouteMatchResult route() {
    return route;
  }

  /** The picked backend, once the routing barrier passed (null behind the ext_proc server, where Envoy picks). */
  public WeightedBackend backend() {
    return backend;
  }

  /** The model routing saw, or null. */
  public String model() {
    return model;
  }

  public void routed(RouteMatchResult route, WeightedBackend backend, String model) {
    this.route = route;
    this.routeName = route == null ? "" : route.route().metadata().qualifiedName();
    this.backend = backend;
    this.model = model;
  }

  /**
   * The backend the exchange is now being sent to: a retry or failover may pick another after
   * routing, and what is logged, measured and summarised is the one that answered.
   */
  public void sendingTo(WeightedBackend backend) {
    this.backend = backend;
  }

  /** {@code namespace/name} of the matched route, or "" before routing. */
  public String routeName() {
    return routeName;
  }

  /** The picked backend's key, or "". */
  public String backendName() {
    return backend == null || backend.backend() == null ? "" : backend.backend().key();
  }

  /**
   * A path rewrite to apply to the path a backend adapter computes itself (a translated request's
   * backend path), so a route's URLRewrite reaches it just as it reaches a native request's path.
   */
  public UnaryOperator<String> upstreamPathRewrite() {
    return upstreamPathRewrite;
  }

  public void rewriteUpstreamPath(UnaryOperator<String> rewrite) {
    UnaryOperator<String> before = upstreamPathRewrite;
    this.upstreamPathRewrite = path -> rewrite.apply(before.apply(path));
  }

  /** The Host a URLRewrite set, or null. */
  public String hostOverride() {
    return hostOverride;
  }

  public void overrideHost(String host) {
    this.hostOverride = host;
  }

  /**
   * The client's address: the connection's peer, or the address the trusted proxies in front
   * reported ({@code --trusted-hops}); "" when unknown. Never a value the client chose itself.
   */
  public String clientAddress() {
    return clientAddress;
  }

  public void clientAddress(String address) {
    this.clientAddress = address == null ? "" : address;
  }

  /** Registers a hook told once how the exchange ended (usage charging, audit, cache stores). */
  public void onComplete(Consumer<ExchangeSummary> hook) {
    if (completionHooks == null) {
      completionHooks = new ArrayList<>(2);
    }
    completionHooks.add(hook);
  }

  /** Called once by the front door when the exchange ends; later calls are ignored. */
  public void complete(ExchangeSummary summary) {
    if (completed) {
      return;
    }
    completed = true;
    if (completionHooks == null) {
      return;
    }
    for (Consumer<ExchangeSummary> hook : completionHooks) {
      try {
        hook.accept(summary);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "completion hook failed for request " + requestId, e);
      }
    }
  }

  public boolean completed() {
    return completed;
  }
}
