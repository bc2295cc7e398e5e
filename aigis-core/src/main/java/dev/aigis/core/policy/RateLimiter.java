package dev.aigis.core.policy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.exchange.AttributeKey;
import dev.aigis.core.exchange.ExchangeContext;
import dev.aigis.core.exchange.ExchangeSummary;
import dev.aigis.core.identity.Identity;
import dev.aigis.core.processing.BodyMode;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.processing.ProcessedResponse;
import dev.aigis.core.processing.Processor;
import dev.aigis.core.processing.ProcessorNeeds;
import dev.aigis.core.processing.Verdict;
import dev.aigis.core.processing.cel.PolicyExpressions;
import dev.aigis.core.ratelimit.Admission;
import dev.aigis.core.ratelimit.BucketState;
import dev.aigis.core.ratelimit.Charge;
import dev.aigis.core.ratelimit.RateLimitStore;
import dev.aigis.core.ratelimit.Window;
import dev.aigis.core.usage.TokenUsage;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One RateLimitPolicy as a built-in processor. Admission happens before the upstream call: every
 * matching rule is charged an estimate (1 request; the prompt's tokens by a real tokenizer plus the
 * requested output ceiling; their priced USD cost), all or nothing, and the request is refused with
 * a 429 when any enforced rule's bucket is exhausted. When the exchange completes, each charge is
 * corrected to what the provider reported (streams and translated answers included; a failed
 * exchange without usage is refunded), so counters converge to real usage. An admitted stream is
 * never cut off.
 */
public final class RateLimiter implements Processor {

  /** One compiled rule; {@code limit} and charges are in requests, tokens or nano-USD. */
  public record Rule(String name, Unit unit, long limit, dev.aigis.model.policy.RateLimitRule.TimeUnit timeUnit,
      int timeValue, PolicyExpressions.Expression key, PolicyExpressions.Expression matcher,
      PolicyExpressions.Expression cost, boolean shadow) {}

  /** What a rule counts. COST is charged in nano-USD (10^-9 USD) so cheap models still count. */
  public enum Unit { REQUESTS, TOKENS, COST }

  /** What admission charged, kept until the exchange completes. */
  private record Admitted(List<Charged> charged, BucketState tightest, PolicyExpressions.Variables variables,
      String model) {}

  private record Charged(Rule rule, Charge charge) {}

  private static final int MAX_KEY_LENGTH = 200;
  private static final String UNKEYED = "<unkeyed>";

  private final String policy;
  private final List<Rule> rules;
  private final RateLimitStore store;
  private final boolean headers;
  private final UsageEstimates estimates;
  private final InstantSource clock;
  private final PolicyObserver observer;
  private final AttributeKey<Admitted> admittedKey;
  private final ProcessorNeeds needs;

  /**
   * @param policy {@code namespace/name}; bucket ids start with it
   * @param store the policy's store, already wrapped in its failure mode: a failed stage here means
   *     FailClosed and becomes a 503
   * @param headers whether responses carry the IETF draft-03 RateLimit headers
   */
  public RateLimiter(String policy, List<Rule> rules, RateLimitStore store, boolean headers, UsageEstimates estimates,
      InstantSource clock, PolicyObserver observer) {
    this.policy = policy;
    this.rules = List.copyOf(rules);
    this.store = store;
    this.headers = headers;
    this.estimates = estimates;
    this.clock = clock;
    this.observer = observer;
    this.admittedKey = AttributeKey.of("ratelimit:" + policy, Admitted.class);
    this.needs = new ProcessorNeeds(true, BodyMode.NONE, headers, BodyMode.NONE, 0);
  }

  @Override
  public ProcessorNeeds needs() {
    return needs;
  }

  @Override
  public CompletionStage<Verdict> onRequestHeaders(ProcessedRequest request, ExchangeState state) {
    ExchangeContext context = request.context();
    Identity identity = context.attributes().get(PolicyAttributes.IDENTITY);
    String model = AccessControl.modelOf(request);
    PolicyExpressions.Variables variables = AccessControl.variables(request, identity, model);
    List<Rule> matching = new ArrayList<>(rules.size());
    boolean needsTokens = false;
    for (Rule rule : rules) {
      if (rule.matcher() == null || matches(rule, variables)) {
        matching.add(rule);
        needsTokens |= rule.unit() != Unit.REQUESTS || rule.cost() != null;
      }
    }
    if (matching.isEmpty()) {
      return CompletableFuture.completedFuture(Verdict.CONTINUE);
    }
    CompletionStage<TokenUsage> estimate = needsTokens
        ? estimates.estimate(request) : CompletableFuture.completedFuture(TokenUsage.NONE);
    return estimate.thenCompose(usage -> admit(context, matching, variables, model, usage));
  }

  private CompletionStage<Verdict> admit(ExchangeContext context, List<Rule> matching,
      PolicyExpressions.Variables variables, String model, TokenUsage estimate) {
    variables.usage(estimate.input(), estimate.output(), estimate.cachedInput(), estimate.reasoning());
    List<Charged> enforced = new ArrayList<>(matching.size());
    List<Charged> shadow = new ArrayList<>(1);
    var now = clock.instant();
    for (Rule rule : matching) {
      String bucket = policy + "/" + rule.name() + "/" + key(rule, variables);
      long cost = cost(rule, variables, estimate, model);
      Charge charge = new Charge(bucket, rule.limit(), cost, Window.of(rule.timeUnit(), rule.timeValue(), now));
      (rule.shadow() ? shadow : enforced).add(new Charged(rule, charge));
    }
    return store.admit(charges(enforced)).handle((admission, failure) -> {
      if (failure != null) {
        return (Verdict) new Verdict.Refuse(new GatewayError.RateLimitUnavailable(policy), Map.of("Retry-After", List.of("1")));
      }
      if (!admission.admitted()) {
        return refuse(enforced, admission);
      }
      enforced.forEach(c -> observer.rateLimit(policy, c.rule().name(), "admitted"));
      if (!shadow.isEmpty()) {
        store.admit(charges(shadow)).thenAccept(result -> {
          if (!result.admitted()) {
            shadow.forEach(c -> observer.rateLimit(policy, c.rule().name(), "shadow_limited"));
          }
        });
      }
      BucketState tightest = tightest(admission.buckets());
      // A cost expression is evaluated again at completion, when the exchange's headers are no longer its to read.
      boolean reevaluated = enforced.stream().anyMatch(c -> c.rule().cost() != null);
      Admitted admitted = new Admitted(enforced, tightest, reevaluated ? variables.detach() : variables, model);
      return new Verdict.EditThenContinue(() -> {
        context.attributes().put(admittedKey, admitted);
        context.onComplete(summary -> reconcile(admitted, summary));
      });
    });
  }

  /** The 429 for the first exhausted bucket, in the policy's order (the store answers in charge order). */
  private Verdict refuse(List<Charged> enforced, Admission admission) {
    int first = 0;
    while (first < admission.buckets().size() - 1 && !admission.buckets().get(first).exhausted()) {
      first++;
    }
    BucketState bucket = admission.buckets().get(first);
    Charged charged = enforced.get(first);
    observer.rateLimit(policy, charged.rule().name(), "limited");
    long retryAfter = secondsUntil(bucket);
    var error = new GatewayError.RateLimited(charged.rule().name(), charged.rule().unit().name(), retryAfter);
    var extra = new java.util.LinkedHashMap<String, List<String>>();
    extra.put("Retry-After", List.of(Long.toString(retryAfter)));
    if (headers) {
      rateLimitHeaders(bucket).forEach((name, value) -> extra.put(name, List.of(value)));
    }
    return new Verdict.Refuse(error, extra);
  }

  @Override
  public CompletionStage<Verdict> onResponseHeaders(ProcessedRequest request, ProcessedResponse response,
      ExchangeState state) {
    Admitted admitted = request.context().attributes().get(admittedKey);
    if (headers && admitted != null && admitted.tightest() != null) {
      rateLimitHeaders(admitted.tightest()).forEach(response.headers()::set);
    }
    return CompletableFuture.completedFuture(Verdict.CONTINUE);
  }

  /**
   * Charges are corrected to the reported usage. An answer without usage keeps its estimate,
   * unless it failed or a processor answered it, in which case nothing was produced upstream and the
   * estimate is refunded.
   */
  private void reconcile(Admitted admitted, ExchangeSummary summary) {
    // A processor's answer (a cache hit) spent nothing upstream: its estimate is refunded whatever usage it shows.
    TokenUsage usage = summary.answeredByProcessor() ? TokenUsage.NONE : summary.usage();
    boolean reported = usage != null && !usage.equals(TokenUsage.NONE);
    if (!reported && summary.status() < 400 && !summary.answeredByProcessor()) {
      return;
    }
    List<Charge> deltas = new ArrayList<>(admitted.charged().size());
    for (Charged charged : admitted.charged()) {
      Rule rule = charged.rule();
      if (rule.unit() == Unit.REQUESTS && rule.cost() == null) {
        continue;
      }
      long actual = 0;
      if (reported) {
        admitted.variables().usage(usage.input(), usage.output(), usage.cachedInput(), usage.reasoning());
        actual = cost(rule, admitted.variables(), usage, admitted.model());
      }
      long delta = actual - charged.charge().cost();
      if (delta != 0) {
        Charge c = charged.charge();
        deltas.add(new Charge(c.bucket(), c.limit(), delta, c.window()));
      }
    }
    if (!deltas.isEmpty()) {
      store.adjust(deltas);
    }
  }

  private boolean matches(Rule rule, PolicyExpressions.Variables variables) {
    try {
      return rule.matcher().test(variables);
    } catch (PolicyExpressions.PolicyExpressionException e) {
      return false;
    }
  }

  private String key(Rule rule, PolicyExpressions.Variables variables) {
    if (rule.key() == null) {
      return "";
    }
    try {
      String key = rule.key().string(variables);
      return key.length() <= MAX_KEY_LENGTH ? key : "sha256:" + dev.aigis.core.identity.ApiKeys.sha256Hex(key);
    } catch (PolicyExpressions.PolicyExpressionException e) {
      // Counted, not skipped: a request without the key's input still shares one bucket.
      observer.keyFailed(policy, rule.name());
      return UNKEYED;
    }
  }

  private long cost(Rule rule, PolicyExpressions.Variables variables, TokenUsage usage, String model) {
    if (rule.cost() != null) {
      double value;
      try {
        value = rule.cost().number(variables);
      } catch (PolicyExpressions.PolicyExpressionException e) {
        value = defaultCost(rule.unit(), usage, model);
        return (long) Math.max(0, value);
      }
      return Math.max(0, rule.unit() == Unit.COST ? (long) Math.ceil(value * 1e9) : (long) Math.ceil(value));
    }
    return defaultCost(rule.unit(), usage, model);
  }

  private long defaultCost(Unit unit, TokenUsage usage, String model) {
    return switch (unit) {
      case REQUESTS -> 1;
      case TOKENS -> usage.input() + usage.output();
      case COST -> estimates.nanoUsd(model, usage);
    };
  }

  private static List<Charge> charges(List<Charged> charged) {
    return charged.stream().map(Charged::charge).toList();
  }

  /** The bucket with the least left, as a share of its limit: the one a client should pace itself by. */
  private static BucketState tightest(List<BucketState> buckets) {
    BucketState tightest = null;
    double least = Double.MAX_VALUE;
    for (BucketState bucket : buckets) {
      double share = bucket.limit() <= 0 ? 0 : (double) bucket.remaining() / bucket.limit();
      if (share < least) {
        least = share;
        tightest = bucket;
      }
    }
    return tightest;
  }

  /** draft-ietf-httpapi-ratelimit-headers-03: limit, what is left and seconds to the window's end. */
  private Map<String, String> rateLimitHeaders(BucketState bucket) {
    return Map.of(
        "RateLimit-Limit", Long.toString(bucket.limit()),
        "RateLimit-Remaining", Long.toString(bucket.remaining()),
        "RateLimit-Reset", Long.toString(secondsUntil(bucket)));
  }

  private long secondsUntil(BucketState bucket) {
    long millis = bucket.resetAt().toEpochMilli() - clock.millis();
    return Math.max(1, (millis + 999) / 1000);
  }

}
