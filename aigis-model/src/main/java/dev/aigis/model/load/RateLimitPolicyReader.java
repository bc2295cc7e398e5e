package dev.aigis.model.load;

import dev.aigis.model.Names;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.RateLimitPolicy;
import dev.aigis.model.RateLimitPolicy.HeaderMode;
import dev.aigis.model.SourceRef;
import dev.aigis.model.policy.RateLimitRule;
import dev.aigis.model.policy.RateLimitRule.Limit;
import dev.aigis.model.policy.RateLimitStoreSpec;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the spec of an aigis.dev/v1alpha1 RateLimitPolicy. Limits are checked so that every one can be
 * counted exactly: request and token volumes are whole numbers that fit a long, USD volumes fit a
 * long of nano-USD (the unit cost is counted in).
 */
final class RateLimitPolicyReader {

  private static final List<String> RULE = List.of("name", "key", "limit", "costExpression", "trafficMatcher", "shadowMode");
  /** The header modes as written; {@code DRAFT-3} is not a Java name. */
  private static final List<String> HEADER_MODES = List.of("DRAFT-3", "Disabled");
  /** Counters are longs; COST volumes are counted in nano-USD. */
  private static final BigDecimal MAX_WHOLE = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final int COST_SCALE = 9;
  private static final BigDecimal MAX_COST = MAX_WHOLE.movePointLeft(COST_SCALE);

  private RateLimitPolicyReader() {}

  static RateLimitPolicy read(Fields doc, ObjectMeta metadata, SourceRef source) {
    Fields spec = doc.requiredObject("spec", "targetRef", "failureMode", "emitRateLimitResponseHeaders", "store", "rules");
    if (spec == null) {
      return null;
    }
    var targetRef = PolicyFields.targetRef(spec);
    RateLimitPolicy.StoreFailureMode failureMode = spec.choice("failureMode", false, RateLimitPolicy.StoreFailureMode.values());
    String headers = spec.choice("emitRateLimitResponseHeaders", false, HEADER_MODES);
    HeaderMode headerMode = headers == null ? null : headers.equals("DRAFT-3") ? HeaderMode.DRAFT_3 : HeaderMode.Disabled;
    Fields store = spec.object("store", "redis");
    RateLimitStoreSpec storeSpec = store == null ? null : redis(store.object("redis", "url", "passwordSecret", "timeout"));
    Set<String> names = new HashSet<>();
    List<RateLimitRule> rules = spec.objects("rules", true, RULE, rule -> rule(rule, names));
    if (spec.emptyList("rules")) {
      spec.error("rules", "at least one rule is required");
    }
    return new RateLimitPolicy(metadata, source, targetRef, failureMode, headerMode, storeSpec, rules);
  }

  /** No {@code redis} block: counters stay in memory. */
  private static RateLimitStoreSpec redis(Fields redis) {
    if (redis == null) {
      return RateLimitStoreSpec.MEMORY;
    }
    URI url = RedisUrls.read(redis);
    String passwordSecret = redis.string("passwordSecret");
    if (passwordSecret != null && !Names.isDnsSubdomain(passwordSecret)) {
      redis.error("passwordSecret", "invalid Secret name \"" + passwordSecret + "\": must be lowercase letters,"
          + " digits, '-' and '.', starting and ending with a letter or digit");
    }
    Duration timeout = redis.duration("timeout");
    if (timeout != null && timeout.isZero()) {
      redis.error("timeout", "must be positive (got 0s)");
    }
    return new RateLimitStoreSpec(url, passwordSecret, timeout);
  }

  private static RateLimitRule rule(Fields rule, Set<String> names) {
    String name = PolicyFields.uniqueName(rule, "rule", names);
    String key = PolicyFields.expression(rule, "key", false);
    Limit limit = limit(rule.requiredObject("limit", "volumeUnits", "volume", "timeUnit", "timeValue"));
    String costExpression = PolicyFields.expression(rule, "costExpression", false);
    Fields matcher = rule.object("trafficMatcher", "celMatcher");
    String trafficMatcher = matcher == null ? null : PolicyFields.expression(matcher, "celMatcher", true);
    boolean shadowMode = rule.bool("shadowMode", false);
    return new RateLimitRule(name, key, limit, costExpression, trafficMatcher, shadowMode);
  }

  private static Limit limit(Fields limit) {
    if (limit == null) {
      return null;
    }
    RateLimitRule.Unit unit = limit.choice("volumeUnits", true, RateLimitRule.Unit.values());
    BigDecimal volume = limit.decimal("volume", true);
    if (volume != null) {
      volume(limit, unit, volume);
    }
    RateLimitRule.TimeUnit timeUnit = limit.choice("timeUnit", true, RateLimitRule.TimeUnit.values());
    Integer timeValue = limit.integer("timeValue");
    if (timeValue != null && timeValue < 1) {
      limit.error("timeValue", "must be at least 1 (got " + timeValue + ")");
    }
    return new Limit(unit, volume, timeUnit, timeValue == null ? 1 : timeValue);
  }

  private static void volume(Fields limit, RateLimitRule.Unit unit, BigDecimal volume) {
    if (volume.signum() <= 0) {
      limit.error("volume", "must be greater than 0 (got " + volume.toPlainString() + ")");
    } else if (unit == RateLimitRule.Unit.COST) {
      if (volume.stripTrailingZeros().scale() > COST_SCALE) {
        limit.error("volume", "USD volumes have at most 9 decimal places (nano-USD), got " + volume.toPlainString());
      } else if (volume.compareTo(MAX_COST) > 0) {
        limit.error("volume", "must be at most " + MAX_COST.toPlainString() + " USD");
      }
    } else if (unit != null) {
      if (volume.stripTrailingZeros().scale() > 0) {
        limit.error("volume", "must be a whole number of " + unit.name().toLowerCase(Locale.ROOT)
            + " (got " + volume.toPlainString() + ")");
      } else if (volume.compareTo(MAX_WHOLE) > 0) {
        limit.error("volume", "must be at most " + Long.MAX_VALUE);
      }
    }
  }
}
