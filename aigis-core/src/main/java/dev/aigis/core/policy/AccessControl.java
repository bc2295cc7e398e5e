package dev.aigis.core.policy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.identity.AuthResult;
import dev.aigis.core.identity.Authenticator;
import dev.aigis.core.identity.Identity;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.Verdict;
import dev.aigis.core.processing.cel.PolicyExpressions;
import dev.aigis.model.policy.Authentication;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * One AccessPolicy as a built-in processor. A Gateway's policy runs twice: before PreRouting to
 * authenticate (401 without valid credentials, before anything about routes or models is said) and
 * first after routing to authorise the routed model (403); an HTTPRoute's policy does both after
 * routing, reusing an identity the Gateway's policy established when it accepts that kind of
 * credential. An Aigis API key is removed from the request once verified: it never goes upstream.
 */
public final class AccessControl implements Processor {

  private static final Map<String, List<String>> CHALLENGE = Map.of("WWW-Authenticate", List.of("Bearer realm=\"aigis\""));
  private static final Map<String, List<String>> INVALID =
      Map.of("WWW-Authenticate", List.of("Bearer realm=\"aigis\", error=\"invalid_token\""));

  private final String policy;
  private final Authenticator authenticator;
  private final boolean acceptsKeys;
  private final Set<String> providers;
  private final AccessRules rules;
  private final PolicyObserver observer;

  /**
   * @param policy {@code namespace/name}, for metrics
   * @param rules null to authenticate only (a Gateway policy's first half)
   */
  public AccessControl(String policy, Authentication authentication, Authenticator authenticator, AccessRules rules,
      PolicyObserver observer) {
    this.policy = policy;
    this.authenticator = authenticator;
    this.acceptsKeys = authentication.apiKeys();
    this.providers = authentication.jwtProviders().stream().map(p -> p.name()).collect(Collectors.toUnmodifiableSet());
    this.rules = rules;
    this.observer = observer;
  }

  @Override
  public ProcessorNeeds needs() {
    return ProcessorNeeds.REQUEST_HEADERS_ONLY;
  }

  @Override
  public CompletionStage<Verdict> onRequestHeaders(ProcessedRequest request, ExchangeState state) {
    ExchangeContext context = request.context();
    Identity known = context.attributes().get(PolicyAttributes.IDENTITY);
    if (known != null && accepts(known)) {
      return CompletableFuture.completedFuture(authorize(request, known));
    }
    return authenticator.authenticate(name -> request.headers().getAll(name)).thenApply(result -> switch (result) {
      case AuthResult.Authenticated(Identity identity, String header) -> {
        Verdict decision = authorize(request, identity);
        if (decision instanceof Verdict.Refuse) {
          yield decision;
        }
        yield new Verdict.EditThenContinue(() -> {
          context.attributes().put(PolicyAttributes.IDENTITY, identity);
          if (identity.kind() == Identity.Kind.API_KEY) {
            request.headers().remove(header);
          }
        });
      }
      case AuthResult.Missing m -> {
        observer.access(policy, "unauthenticated");
        yield new Verdict.Refuse(new GatewayError.Unauthenticated(
            "no API key or bearer token was presented (Authorization: Bearer, x-api-key or api-key)"), CHALLENGE);
      }
      case AuthResult.Rejected(String reason) -> {
        observer.access(policy, "unauthenticated");
        yield new Verdict.Refuse(new GatewayError.Unauthenticated(reason), INVALID);
      }
    });
  }

  /** {@code GET /v1/models} under this policy: a refusal (401), or the models the caller may use. */
  public record Listing(Verdict.Refuse refusal, List<String> models) {}

  /**
   * The models of {@code models} this policy lets the caller use (the rules, then the key's own
   * list), after authenticating it like any request.
   */
  public CompletionStage<Listing> listModels(ProcessedRequest request, List<String> models) {
    return authenticator.authenticate(name -> request.headers().getAll(name)).thenApply(result -> switch (result) {
      case AuthResult.Authenticated(Identity identity, String header) -> {
        List<String> visible = new java.util.ArrayList<>(models.size());
        for (String model : models) {
          if (rules == null || rules.decide(identity, model, variables(request, identity, model)).allowed()) {
            visible.add(model);
          }
        }
        yield new Listing(null, visible);
      }
      case AuthResult.Missing m -> new Listing(new Verdict.Refuse(new GatewayError.Unauthenticated(
          "no API key or bearer token was presented (Authorization: Bearer, x-api-key or api-key)"), CHALLENGE), List.of());
      case AuthResult.Rejected(String reason) ->
          new Listing(new Verdict.Refuse(new GatewayError.Unauthenticated(reason), INVALID), List.of());
    });
  }

  private boolean accepts(Identity identity) {
    return identity.kind() == Identity.Kind.API_KEY ? acceptsKeys : providers.contains(identity.provider());
  }

  private Verdict authorize(ProcessedRequest request, Identity identity) {
    if (rules == null) {
      return Verdict.CONTINUE;
    }
    String model = modelOf(request);
    var variables = variables(request, identity, model);
    AccessRules.Decision decision = rules.decide(identity, model, variables);
    if (!decision.allowed()) {
      observer.access(policy, "denied");
      return new Verdict.Refuse(new GatewayError.ModelAccessDenied(describe(identity), model));
    }
    observer.access(policy, "allowed");
    return Verdict.CONTINUE;
  }

  /** The model routing saw; before routing (and behind Envoy without a route), the body's. */
  static String modelOf(ProcessedRequest request) {
    String routed = request.context() == null ? null : request.context().model();
    return routed != null ? routed : request.model();
  }

  static PolicyExpressions.Variables variables(ProcessedRequest request, Identity identity, String model) {
    ExchangeContext context = request.context();
    return PolicyExpressions.variables()
        .identity(PolicyAttributes.celIdentity(identity))
        .sourceAddress(context.clientAddress())
        .request(request.headers(), request.method(), request.path())
        .model(model)
        .route(context.routeName());
  }

  private static String describe(Identity identity) {
    return (identity.kind() == Identity.Kind.API_KEY ? "API key " : "Subject ") + identity.name();
  }
}
