package dev.aigis.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.ratelimit.BucketState;
import dev.aigis.core.ratelimit.Window;
import dev.aigis.model.load.ConfigPipeline;
import dev.aigis.model.policy.RateLimitRule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageReportTest {

  static final String YAML = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw}
      spec:
        gatewayClassName: aigis
        listeners: [{name: http, port: 8080, protocol: HTTP}]
      ---
      apiVersion: aigis.dev/v1alpha1
      kind: RateLimitPolicy
      metadata: {name: limits}
      spec:
        targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
        rules:
        - {name: budget, key: identity.team, limit: {volumeUnits: COST, volume: 50, timeUnit: Month}}
        - {name: tokens, key: identity.key, limit: {volumeUnits: TOKENS, volume: 1000, timeUnit: Minute}}
      """;

  @Test
  void reportsEachBucketOfAConfiguredRuleWithUsdForCostRules() throws Exception {
    var snapshot = ConfigPipeline.compileText("limits.yaml", YAML, Map.<String, String>of()::get);
    Instant now = Instant.parse("2026-12-07T10:00:30Z");
    Window month = Window.of(RateLimitRule.TimeUnit.Month, 1, now);
    Window minute = Window.of(RateLimitRule.TimeUnit.Minute, 1, now);
    String json = new String(UsageReport.render(snapshot, List.of(
        new BucketState("default/limits/tokens/alice", 1000, 1200, minute),
        new BucketState("default/limits/budget/research", 50_000_000_000L, 1_250_000_000L, month),
        new BucketState("default/removed/rule/alice", 10, 1, minute))), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"buckets\":["
        + "{\"policy\":\"default/limits\",\"rule\":\"budget\",\"key\":\"research\",\"unit\":\"COST\","
        + "\"windowStart\":\"2026-12-01T00:00:00Z\",\"windowEnd\":\"2027-01-01T00:00:00Z\","
        + "\"limitUsd\":50.000000,\"usedUsd\":1.250000,\"remainingUsd\":48.750000},"
        + "{\"policy\":\"default/limits\",\"rule\":\"tokens\",\"key\":\"alice\",\"unit\":\"TOKENS\","
        + "\"windowStart\":\"2026-12-07T10:00:00Z\",\"windowEnd\":\"2026-12-07T10:01:00Z\","
        + "\"limit\":1000,\"used\":1200,\"remaining\":0}]}");
  }
}
