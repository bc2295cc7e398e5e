package dev.aigis.server.policy;

import dev.aigis.core.identity.Authenticator;
import dev.aigis.core.policy.AccessControl;
import dev.aigis.core.policy.AccessRules;
import dev.aigis.core.policy.RateLimiter;
import dev.aigis.core.processing.ConfiguredProcessor;
import dev.aigis.core.processing.FailureMode;
import dev.aigis.core.processing.ProcessingChain;
import dev.aigis.core.processing.cel.PolicyExpressions;
import dev.aigis.model.AccessPolicy;
import dev.aigis.model.ConfigError;
import dev.aigis.model.RateLimitPolicy;
import dev.aigis.model.Resource;
import dev.aigis.model.Secret;
import dev.aigis.model.policy.RateLimitRule;
import dev.aigis.model.snapshot.ConfigSnapshot;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a snapshot's AccessPolicies and RateLimitPolicies into built-in processors over the
 * long-lived {@link PolicyRuntime} (stores, JWKS caches), so counters and keys survive reloads.
 * Expressions compile here; their errors are located like every configuration error.
 */
public final class PolicyCompiler {

  private static final String GATEWAY = "Gateway";
  private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);

  private final PolicyRuntime runtime;

  public PolicyCompiler(PolicyRuntime runtime) {
    this.runtime = runtime;
  }

  public CompiledPolicies compile(ConfigSnapshot snapshot, List<ConfigError> errors) {
    var policies = snapshot.policies();
    if (policies.accessPolicies().isEmpty() && policies.rateLimitPolicies().isEmpty()) {
      return CompiledPolicies.NONE;
    }
    Map<String, List<ConfiguredProcessor>> authentication = new HashMap<>();
    Map<String, List<ConfiguredProcessor>> afterRouting = new HashMap<>();
    Map<String, List<ConfiguredProcessor>> routes = new HashMap<>();
    Map<String, AccessControl> gatewayAccess = new HashMap<>();
    for (AccessPolicy policy : policies.accessPolicies()) {
      List<String> problems = new ArrayList<>();
      AccessRules rules = AccessRules.compile(policy.rules(), problems);
      problems.forEach(problem -> errors.add(located(policy, problem)));
      if (!problems.isEmpty()) {
        continue;
      }
      String name = policy.metadata().qualifiedName();
      Authenticator authenticator = Authenticator.of(policy.authentication(), policies.apiKeys(), runtime.jwks(),
          runtime.clock());
      String target = target(policy.metadata().namespace(), policy.targetRef().name());
      var control = new AccessControl(name, policy.authentication(), authenticator, rules, runtime.observer());
      if (GATEWAY.equals(policy.targetRef().kind())) {
        var authenticate = new AccessControl(name, policy.authentication(), authenticator, null, runtime.observer());
        add(authentication, target, "access/" + name, authenticate);
        add(afterRouting, target, "access/" + name, control);
        gatewayAccess.put(target, control);
      } else {
        add(routes, target, "access/" + name, control);
      }
    }
    for (RateLimitPolicy policy : policies.rateLimitPolicies()) {
      RateLimiter limiter = limiter(policy, snapshot, errors);
      if (limiter == null) {
        continue;
      }
      String target = target(policy.metadata().namespace(), policy.targetRef().name());
      String name = "ratelimit/" + policy.metadata().qualifiedName();
      add(GATEWAY.equals(policy.targetRef().kind()) ? afterRouting : routes, target, name, limiter);
    }
    return new CompiledPolicies(chains(authentication, "authentication"), chains(afterRouting, "policies"),
        chains(routes, "policies"), gatewayAccess);
  }

  private RateLimiter limiter(RateLimitPolicy policy, ConfigSnapshot snapshot, List<ConfigError> errors) {
    List<RateLimiter.Rule> rules = new ArrayList<>();
    int before = errors.size();
    for (int i = 0; i < policy.rules().size(); i++) {
      RateLimitRule rule = policy.rules().get(i);
      String field = "spec.rules[" + i + "]";
      var key = expression(policy, field + ".key", rule.key(), PolicyExpressions.Result.STRING, errors);
      var matcher = expression(policy, field + ".trafficMatcher.celMatcher", rule.trafficMatcher(),
          PolicyExpressions.Result.BOOL, errors);
      var cost = expression(policy, field + ".costExpression", rule.costExpression(), PolicyExpressions.Result.NUMBER,
          errors);
      RateLimiter.Unit unit = RateLimiter.Unit.valueOf(rule.limit().volumeUnits().name());
      long limit = unit == RateLimiter.Unit.COST
          ? rule.limit().volume().multiply(NANOS_PER_USD).setScale(0, java.math.RoundingMode.DOWN).longValueExact()
          : rule.limit().volume().setScale(0, java.math.RoundingMode.DOWN).longValueExact();
      rules.add(new RateLimiter.Rule(rule.name(), unit, limit, rule.limit().timeUnit(), rule.limit().timeValue(), key,
          matcher, cost, rule.shadowMode()));
    }
    if (errors.size() > before) {
      return null;
    }
    String password = password(policy, snapshot);
    return new RateLimiter(policy.metadata().qualifiedName(), rules, runtime.store(policy, password),
        policy.emitRateLimitResponseHeaders() == RateLimitPolicy.HeaderMode.DRAFT_3, runtime.estimates(snapshot),
        runtime.clock(), runtime.observer());
  }

  private static PolicyExpressions.Expression expression(Resource policy, String field, String text,
      PolicyExpressions.Result result, List<ConfigError> errors) {
    if (text == null) {
      return null;
    }
    var compiled = PolicyExpressions.standard().compile(text, result);
    if (compiled.error() != null) {
      errors.add(ConfigError.at(policy, field, compiled.error()));
    }
    return compiled.expression();
  }

  private static String password(RateLimitPolicy policy, ConfigSnapshot snapshot) {
    String secret = policy.store().passwordSecret();
    if (secret == null) {
      return null;
    }
    for (Resource resource : snapshot.resources()) {
      if (resource instanceof Secret s && s.metadata().name().equals(secret)
          && s.metadata().namespace().equals(policy.metadata().namespace()) && s.data().containsKey("password")) {
        return new String(s.data().get("password"), StandardCharsets.UTF_8).strip();
      }
    }
    return null; // validation refused a missing Secret; a snapshot without one never gets here
  }

  /** "rules[0].from.cel: column 3: ..." located on {@code spec.rules[0].from.cel}. */
  private static ConfigError located(AccessPolicy policy, String problem) {
    int colon = problem.indexOf(": ");
    return ConfigError.at(policy, "spec." + problem.substring(0, colon), problem.substring(colon + 2));
  }

  private static String target(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static void add(Map<String, List<ConfiguredProcessor>> chains, String target, String name,
      dev.aigis.core.processing.Processor processor) {
    chains.computeIfAbsent(target, t -> new ArrayList<>())
        .add(new ConfiguredProcessor(name, FailureMode.FailClosed, null, processor));
  }

  private static Map<String, ProcessingChain> chains(Map<String, List<ConfiguredProcessor>> processors, String kind) {
    Map<String, ProcessingChain> chains = new HashMap<>();
    processors.forEach((target, list) -> chains.put(target, new ProcessingChain(target + "/" + kind, List.copyOf(list))));
    return chains;
  }
}
