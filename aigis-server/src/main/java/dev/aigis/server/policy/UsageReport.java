package dev.aigis.server.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.ratelimit.BucketState;
import dev.aigis.model.RateLimitPolicy;
import dev.aigis.model.policy.RateLimitRule;
import dev.aigis.model.snapshot.ConfigSnapshot;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/usage}: every live rate-limit bucket of the current window with what it used and
 * has left, per policy, rule and key (a key or team name when the rule is keyed by identity). COST
 * buckets are shown in USD. Buckets of rules no longer configured are left out.
 */
public final class UsageReport {

  private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);

  private UsageReport() {}

  public static byte[] render(ConfigSnapshot snapshot, List<BucketState> buckets) {
    Map<String, RateLimitRule> rules = new HashMap<>();
    for (RateLimitPolicy policy : snapshot.policies().rateLimitPolicies()) {
      for (RateLimitRule rule : policy.rules()) {
        rules.put(policy.metadata().qualifiedName() + "/" + rule.name(), rule);
      }
    }
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode out = root.putArray("buckets");
    buckets.stream().sorted(Comparator.comparing(BucketState::bucket)).forEach(bucket -> {
      // policy namespace/name, rule, key: the key (last) may itself contain slashes.
      String[] parts = bucket.bucket().split("/", 4);
      if (parts.length < 4) {
        return;
      }
      RateLimitRule rule = rules.get(parts[0] + "/" + parts[1] + "/" + parts[2]);
      if (rule == null) {
        return;
      }
      ObjectNode row = out.addObject();
      row.put("policy", parts[0] + "/" + parts[1]);
      row.put("rule", parts[2]);
      row.put("key", parts[3]);
      row.put("unit", rule.limit().volumeUnits().name());
      row.put("windowStart", bucket.window().start().toString());
      row.put("windowEnd", bucket.window().end().toString());
      if (rule.limit().volumeUnits() == RateLimitRule.Unit.COST) {
        row.put("limitUsd", usd(bucket.limit()));
        row.put("usedUsd", usd(bucket.used()));
        row.put("remainingUsd", usd(bucket.remaining()));
      } else {
        row.put("limit", bucket.limit());
        row.put("used", bucket.used());
        row.put("remaining", bucket.remaining());
      }
    });
    return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static BigDecimal usd(long nanos) {
    return BigDecimal.valueOf(nanos).divide(NANOS_PER_USD, 6, RoundingMode.HALF_UP); // plain, never 5E+1
  }
}
