package dev.aigis.model.snapshot;

import static dev.aigis.model.load.ConfigFixtures.BASE;
import static dev.aigis.model.load.ConfigFixtures.ENV;
import static dev.aigis.model.load.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.AccessPolicy;
import dev.aigis.model.ConfigError;
import dev.aigis.model.ConfigException;
import dev.aigis.model.RateLimitPolicy;
import dev.aigis.model.policy.ApiKey;
import dev.aigis.model.policy.ModelPrice;
import dev.aigis.model.load.ConfigPipeline;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Policy targets, conflicts, Redis password Secrets, API key Secrets and price catalogues, end to end. */
class PolicyCompilerTest {

  private static final String ROUTE = """
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: chat}
      spec:
        parentRefs: [{name: gw}]
      """;

  private static String access(String name, String created, String kind, String target) {
    return """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AccessPolicy
        metadata: {name: %s%s}
        spec:
          targetRef: {kind: %s, name: %s}
          authentication: {apiKeys: {}}
          rules: [{name: all, action: Allow}]
        """.formatted(name, created == null ? "" : ", creationTimestamp: \"" + created + "\"", kind, target);
  }

  private static String rateLimit(String name, String created, String kind, String target) {
    return """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: %s%s}
        spec:
          targetRef: {kind: %s, name: %s}
          rules: [{name: r, limit: {volumeUnits: REQUESTS, volume: 10, timeUnit: Minute}}]
        """.formatted(name, created == null ? "" : ", creationTimestamp: \"" + created + "\"", kind, target);
  }

  static String sha256(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void targetRefRules() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AccessPolicy
        metadata: {name: service}
        spec:
          targetRef: {kind: Service, name: gw}
          authentication: {apiKeys: {}}
          rules: [{name: all, action: Allow}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: group}
        spec:
          targetRef: {group: aigis.dev, kind: Gateway, name: gw}
          rules: [{name: r, limit: {volumeUnits: REQUESTS, volume: 10, timeUnit: Minute}}]
        """ + access("missing-gateway", null, "Gateway", "x")
        + rateLimit("missing-route", null, "HTTPRoute", "chat").replace("{name: missing-route}",
            "{name: missing-route, namespace: team}")
        + ROUTE + BASE))
        .containsExactly(
            "bad.yaml:5: AccessPolicy/service: spec.targetRef.kind: must be Gateway or HTTPRoute (got \"Service\")",
            "bad.yaml:13: RateLimitPolicy/group: spec.targetRef.group: must be gateway.networking.k8s.io (got \"aigis.dev\")",
            "bad.yaml:20: AccessPolicy/missing-gateway: spec.targetRef.name: Gateway default/x not found",
            "bad.yaml:28: RateLimitPolicy/missing-route: spec.targetRef.name: HTTPRoute team/chat not found");
  }

  @Test
  void aTargetThatFailedToLoadIsNotReportedMissing() {
    assertThat(errors(access("p", null, "HTTPRoute", "chat") + ROUTE + "  rules: 5\n" + BASE))
        .containsExactly("bad.yaml:15: HTTPRoute/chat: spec.rules: expected a list, got a number");
  }

  @Test
  void policiesAttachToGatewaysAndRoutes() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("p.yaml", BASE + ROUTE
        + access("gw-access", null, "Gateway", "gw") + access("route-access", null, "HTTPRoute", "chat")
        + rateLimit("route-limit", null, "HTTPRoute", "chat"), ENV);

    assertThat(snapshot.warnings()).isEmpty();
    assertThat(snapshot.policies().access("Gateway", "default", "gw")).map(AccessPolicy::name).contains("gw-access");
    assertThat(snapshot.policies().access("HTTPRoute", "default", "chat")).map(AccessPolicy::name).contains("route-access");
    assertThat(snapshot.policies().rateLimit("HTTPRoute", "default", "chat")).map(RateLimitPolicy::name).contains("route-limit");
    assertThat(snapshot.policies().rateLimit("Gateway", "default", "gw")).isEmpty();
    assertThat(snapshot.policies().access("HTTPRoute", "other", "chat")).isEmpty();
  }

  @Test
  void theOlderPolicyWinsAConflictAndTheNewerIsAWarning() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("p.yaml", BASE
        + access("a-new", "2025-02-01T00:00:00Z", "Gateway", "gw")
        + access("b-none", null, "Gateway", "gw")
        + access("z-old", "2025-01-01T00:00:00Z", "Gateway", "gw")
        + rateLimit("limit-b", null, "Gateway", "gw")
        + rateLimit("limit-a", null, "Gateway", "gw"), ENV);

    assertThat(snapshot.policies().accessPolicies()).extracting(AccessPolicy::name).containsExactly("z-old");
    assertThat(snapshot.policies().rateLimitPolicies()).extracting(RateLimitPolicy::name).containsExactly("limit-a");
    assertThat(snapshot.warnings()).extracting(ConfigError::format).containsExactly(
        "p.yaml:26: AccessPolicy/a-new: spec.targetRef: conflicts with AccessPolicy default/z-old on Gateway default/gw;"
            + " the older one applies",
        "p.yaml:34: AccessPolicy/b-none: spec.targetRef: conflicts with AccessPolicy default/z-old on Gateway default/gw;"
            + " the older one applies",
        "p.yaml:50: RateLimitPolicy/limit-b: spec.targetRef: conflicts with RateLimitPolicy default/limit-a on Gateway"
            + " default/gw; the older one applies");
  }

  @Test
  void redisPasswordSecretMustHoldAPassword() {
    String policy = """
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: %s}
        spec:
          targetRef: {kind: Gateway, name: gw}
          store: {redis: {url: "redis://127.0.0.1:6379", passwordSecret: %s}}
          rules: [{name: r, limit: {volumeUnits: REQUESTS, volume: 10, timeUnit: Minute}}]
        ---
        """;
    assertThat(errors(policy.formatted("missing", "nothing") + policy.formatted("no-key", "wrong-key")
        + policy.formatted("empty", "empty-password") + policy.formatted("good", "good-password") + """
        apiVersion: v1
        kind: Secret
        metadata: {name: wrong-key}
        stringData: {pass: x}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: empty-password}
        stringData: {password: ""}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: good-password}
        data: {password: aHVudGVyMg==}
        """ + BASE))
        .containsExactly(
            "bad.yaml:6: RateLimitPolicy/missing: spec.store.redis.passwordSecret: Secret default/nothing not found",
            "bad.yaml:14: RateLimitPolicy/no-key: spec.store.redis.passwordSecret: Secret default/wrong-key has no key \"password\"",
            "bad.yaml:22: RateLimitPolicy/empty: spec.store.redis.passwordSecret: key \"password\" of Secret"
                + " default/empty-password is empty");
  }

  @Test
  void apiKeySecretsBecomeKeysFromStringDataAndData() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("p.yaml", """
        apiVersion: v1
        kind: Secret
        metadata: {name: alice-key, namespace: research}
        type: aigis.dev/api-key
        stringData:
          sha256: %s
          name: alice
          team: research
          models: "gpt-4o*, claude-*"
          labels: "env=dev, tier=gold"
          expires: "2026-06-30T00:00:00Z"
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: bob}
        type: aigis.dev/api-key
        data:
          sha256: %s
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: not-a-key}
        stringData: {key: sk-upstream}
        """.formatted(sha256("sk-alice"), base64(sha256("sk-bob") + "\n")) + BASE, ENV);

    List<ApiKey> keys = snapshot.policies().apiKeys();
    assertThat(keys).hasSize(2);
    ApiKey alice = keys.getFirst();
    assertThat(alice.name()).isEqualTo("alice");
    assertThat(alice.team()).isEqualTo("research");
    assertThat(HexFormat.of().formatHex(alice.sha256())).isEqualTo(sha256("sk-alice"));
    assertThat(alice.models()).containsExactly("gpt-4o*", "claude-*");
    assertThat(alice.labels()).isEqualTo(Map.of("env", "dev", "tier", "gold"));
    assertThat(alice.expires()).isEqualTo(Instant.parse("2026-06-30T00:00:00Z"));
    assertThat(alice.secret()).isEqualTo("research/alice-key");
    ApiKey bob = keys.get(1);
    assertThat(bob.name()).isEqualTo("bob");
    assertThat(bob.team()).isNull();
    assertThat(bob.models()).isEmpty();
    assertThat(bob.expires()).isNull();
    assertThat(HexFormat.of().formatHex(bob.sha256())).isEqualTo(sha256("sk-bob"));
    assertThat(bob.secret()).isEqualTo("default/bob");
    assertThat(bob.toString()).doesNotContain(sha256("sk-bob"));
  }

  @Test
  void apiKeySecretRules() {
    assertThat(errors("""
        apiVersion: v1
        kind: Secret
        metadata: {name: raw}
        type: aigis.dev/api-key
        stringData:
          apiKey: sk-live-123
          sha256: sk-live-123
          colour: blue
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: missing}
        type: aigis.dev/api-key
        stringData:
          name: "two words"
          team: ""
          models: "gpt-4o,,o3"
          labels: "env"
          expires: tomorrow
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: upper}
        type: aigis.dev/api-key
        data:
          sha256: %s
          labels: %s
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: empty}
        type: aigis.dev/api-key
        """.formatted(base64(sha256("k").toUpperCase()), base64("a=1,a=2")) + BASE))
        .containsExactly(
            "bad.yaml:6: Secret/raw: stringData.apiKey: must not hold the API key itself: an aigis.dev/api-key Secret"
                + " stores only its SHA-256, as 64 lowercase hex digits in sha256",
            "bad.yaml:8: Secret/raw: stringData.colour: unknown key: an aigis.dev/api-key Secret holds sha256, name,"
                + " team, models, labels, expires (only the key's SHA-256, never the key)",
            "bad.yaml:7: Secret/raw: stringData.sha256: must be the SHA-256 of the API key as 64 lowercase hex digits"
                + " (printf %s \"$KEY\" | sha256sum), never the key itself",
            "bad.yaml:14: Secret/missing: stringData.sha256: required key is missing: the SHA-256 of the API key as 64"
                + " lowercase hex digits",
            "bad.yaml:15: Secret/missing: stringData.name: must be 1 to 253 characters without spaces or commas",
            "bad.yaml:16: Secret/missing: stringData.team: must not be empty",
            "bad.yaml:17: Secret/missing: stringData.models: has an empty entry: write comma-separated model names or"
                + " globs such as gpt-4o*",
            "bad.yaml:18: Secret/missing: stringData.labels: must be comma-separated key=value pairs, such as env=dev,tier=gold",
            "bad.yaml:19: Secret/missing: stringData.expires: invalid timestamp: expected RFC 3339 such as 2026-01-31T00:00:00Z",
            "bad.yaml:26: Secret/upper: data.sha256: must be the SHA-256 of the API key as 64 lowercase hex digits"
                + " (printf %s \"$KEY\" | sha256sum), never the key itself",
            "bad.yaml:27: Secret/upper: data.labels: sets a label more than once",
            "bad.yaml:29: Secret/empty: data.sha256: required key is missing: the SHA-256 of the API key as 64 lowercase"
                + " hex digits");
  }

  @Test
  void apiKeyNamesAreUniquePerNamespaceAndHashesEverywhere() {
    String key = """
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: %s}
        type: aigis.dev/api-key
        stringData: {sha256: %s%s}
        """;
    assertThat(errors(BASE
        + key.formatted("alice", "a", sha256("1"), "")
        + key.formatted("alice-2", "a", sha256("2"), ", name: alice")
        + key.formatted("alice", "b", sha256("3"), "")
        + key.formatted("bob", "b", sha256("1"), "")))
        .containsExactly(
            "bad.yaml:32: Secret/alice-2: stringData.name: API key name \"alice\" is already used in namespace a by"
                + " Secret a/alice (bad.yaml:22)",
            "bad.yaml:44: Secret/bob: stringData.sha256: the same key (sha256) as Secret a/alice (bad.yaml:22):"
                + " every API key must be different");
  }

  @Test
  void priceCataloguesAreConcatenatedInLoadOrder() throws ConfigException {
    String catalog = """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PriceCatalog
        metadata: {name: %s}
        spec:
          prices: [{model: %s, input: %s, output: 1}]
        """;
    ConfigSnapshot snapshot = ConfigPipeline.compileText("p.yaml", BASE
        + catalog.formatted("b", "gpt-4o", "3") + catalog.formatted("a", "gpt-4o", "4"), ENV);

    assertThat(snapshot.policies().prices()).extracting(ModelPrice::inputPerMillion)
        .containsExactly(new BigDecimal("3"), new BigDecimal("4"));
  }
}
