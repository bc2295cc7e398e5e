package dev.aigis.model.load;

import static dev.aigis.model.load.ConfigFixtures.BASE;
import static dev.aigis.model.load.ConfigFixtures.ENV;
import static dev.aigis.model.load.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.AccessPolicy;
import dev.aigis.model.ConfigException;
import dev.aigis.model.RateLimitPolicy;
import dev.aigis.model.policy.AccessRule;
import dev.aigis.model.policy.AccessRule.ModelMatch;
import dev.aigis.model.policy.JwtProvider;
import dev.aigis.model.policy.ModelPrice;
import dev.aigis.model.policy.RateLimitRule;
import dev.aigis.model.policy.RateLimitRule.Limit;
import dev.aigis.model.processing.TargetRef;
import dev.aigis.model.snapshot.ConfigSnapshot;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AccessPolicy, RateLimitPolicy and PriceCatalog: every field read, every field rule reported with its line. */
class PolicyReaderTest {

  private static final String ACCESS = """
      apiVersion: aigis.dev/v1alpha1
      kind: AccessPolicy
      metadata: {name: access}
      spec:
        targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
        authentication:
          apiKeys: {}
          jwt:
            providers:
            - name: corp
              issuer: https://id.example.com
              audiences: [aigis]
              jwks: {file: /etc/aigis/jwks.json}
              algorithms: [RS256, ES256, PS256]
              clockSkew: 10s
              claims: {subject: email, team: dept, groups: roles}
            - name: local
              issuer: http://localhost:8180
              jwks: {url: "http://[::1]:8180/jwks.json", refresh: 1m}
        rules:
        - name: research-gpt
          from: {teams: [research], keys: [alice], labels: {env: dev}, cel: 'identity.groups.exists(g, g == "ml")'}
          models: [{type: Prefix, value: gpt-4o}, {value: o3}, {type: RegularExpression, value: "claude-.*-4"}]
          action: Allow
        - name: everyone-else
          action: Deny
      """;

  @Test
  void accessPolicyReadsEveryField() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("p.yaml", ACCESS + BASE, ENV);

    AccessPolicy policy = snapshot.policies().accessPolicies().getFirst();
    assertThat(policy.targetRef()).isEqualTo(new TargetRef("gateway.networking.k8s.io", "Gateway", "gw"));
    assertThat(policy.authentication().apiKeys()).isTrue();
    assertThat(policy.authentication().jwtProviders()).containsExactly(
        new JwtProvider("corp", "https://id.example.com", List.of("aigis"), "/etc/aigis/jwks.json", null, null,
            List.of("RS256", "ES256", "PS256"), Duration.ofSeconds(10), new JwtProvider.ClaimMapping("email", "dept", "roles")),
        new JwtProvider("local", "http://localhost:8180", null, null, URI.create("http://[::1]:8180/jwks.json"),
            Duration.ofMinutes(1), null, null, null));
    assertThat(policy.authentication().jwtProviders().get(1).algorithms()).containsExactly("RS256", "ES256");
    assertThat(policy.rules()).containsExactly(
        new AccessRule("research-gpt",
            new AccessRule.From(List.of("research"), List.of("alice"), Map.of("env", "dev"), "identity.groups.exists(g, g == \"ml\")"),
            List.of(new ModelMatch(ModelMatch.Type.Prefix, "gpt-4o"), new ModelMatch(ModelMatch.Type.Exact, "o3"),
                new ModelMatch(ModelMatch.Type.RegularExpression, "claude-.*-4")),
            AccessRule.Action.Allow),
        new AccessRule("everyone-else", AccessRule.From.ANYONE, List.of(), AccessRule.Action.Deny));
    assertThat(snapshot.policies().access("Gateway", "default", "gw")).containsSame(policy);
  }

  @Test
  void accessPolicyStructure() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AccessPolicy
        metadata: {name: a}
        spec:
          authentication: {}
          rules: []
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AccessPolicy
        metadata: {name: b}
        spec:
          targetRef: {name: gw}
          rules:
          - name: Bad_Name
            action: Maybe
          - name: dup
            from: {cel: "  ", team: [x]}
            models: [{type: Glob, value: "gpt*"}, {type: RegularExpression, value: "(a)\\\\1"}, {type: Prefix}]
          - name: dup
        """ + BASE))
        .containsExactly(
            "bad.yaml:4: AccessPolicy/a: spec.targetRef: required field is missing",
            "bad.yaml:5: AccessPolicy/a: spec.authentication: set apiKeys, jwt or both: a policy accepting no credential admits no one",
            "bad.yaml:6: AccessPolicy/a: spec.rules: at least one rule is required: a request no rule allows is denied",
            "bad.yaml:12: AccessPolicy/b: spec.targetRef.kind: required field is missing",
            "bad.yaml:11: AccessPolicy/b: spec.authentication: required field is missing",
            "bad.yaml:14: AccessPolicy/b: spec.rules[0].name: invalid rule name \"Bad_Name\": must be lowercase letters,"
                + " digits and '-', starting and ending with a letter or digit",
            "bad.yaml:15: AccessPolicy/b: spec.rules[0].action: must be one of Allow, Deny (got \"Maybe\")",
            "bad.yaml:17: AccessPolicy/b: spec.rules[1].from.team: unknown field",
            "bad.yaml:17: AccessPolicy/b: spec.rules[1].from.cel: must not be blank",
            "bad.yaml:18: AccessPolicy/b: spec.rules[1].models[0].type: must be one of Exact, Prefix, RegularExpression (got \"Glob\")",
            "bad.yaml:18: AccessPolicy/b: spec.rules[1].models[1].value: invalid regular expression \"(a)\\1\":"
                + " invalid escape sequence (RE2 syntax)",
            "bad.yaml:18: AccessPolicy/b: spec.rules[1].models[2].value: required field is missing",
            "bad.yaml:16: AccessPolicy/b: spec.rules[1].action: required field is missing",
            "bad.yaml:19: AccessPolicy/b: spec.rules[2].name: duplicate rule name \"dup\"",
            "bad.yaml:19: AccessPolicy/b: spec.rules[2].action: required field is missing");
  }

  @Test
  void jwtProviderRules() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: AccessPolicy
        metadata: {name: jwt}
        spec:
          targetRef: {kind: Gateway, name: gw}
          authentication:
            jwt:
              providers:
              - name: both
                issuer: i
                jwks: {file: /k.json, url: "https://id.example.com/k", refresh: 5m}
              - name: neither
                jwks: {}
                algorithms: [none, HS256, RS256, XY1]
              - name: plain-http
                issuer: i
                jwks: {url: "http://id.example.com/k"}
                clockSkew: 30 seconds
              - name: plain-http
                issuer: i
                jwks: {url: "ftp://id.example.com/k", refresh: 500ms}
                claims: {subject: ""}
              - name: userinfo
                issuer: i
                jwks: {url: "https://user:pw@id.example.com/k"}
          rules: [{name: r, action: Allow}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AccessPolicy
        metadata: {name: empty}
        spec:
          targetRef: {kind: Gateway, name: gw}
          authentication: {jwt: {providers: []}}
          rules: [{name: r, action: Allow}]
        """ + BASE))
        .containsExactly(
            "bad.yaml:11: AccessPolicy/jwt: spec.authentication.jwt.providers[0].jwks: set exactly one of file or url",
            "bad.yaml:11: AccessPolicy/jwt: spec.authentication.jwt.providers[0].jwks.refresh: only used with url:"
                + " a file is re-read when it changes",
            "bad.yaml:12: AccessPolicy/jwt: spec.authentication.jwt.providers[1].issuer: required field is missing",
            "bad.yaml:13: AccessPolicy/jwt: spec.authentication.jwt.providers[1].jwks: set exactly one of file or url",
            "bad.yaml:14: AccessPolicy/jwt: spec.authentication.jwt.providers[1].algorithms[0]: \"none\" is refused:"
                + " it accepts unsigned tokens, so anyone could mint one",
            "bad.yaml:14: AccessPolicy/jwt: spec.authentication.jwt.providers[1].algorithms[1]: \"HS256\" is refused:"
                + " HMAC needs a shared secret, and checking it against published keys lets a token signed with a public"
                + " key pass (algorithm confusion); use an asymmetric algorithm",
            "bad.yaml:14: AccessPolicy/jwt: spec.authentication.jwt.providers[1].algorithms[3]: must be one of RS256,"
                + " RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 (got \"XY1\")",
            "bad.yaml:17: AccessPolicy/jwt: spec.authentication.jwt.providers[2].jwks.url: must be https: keys fetched"
                + " over plain http could be replaced on the way (http is allowed only to 127.0.0.1, ::1 or localhost)",
            "bad.yaml:18: AccessPolicy/jwt: spec.authentication.jwt.providers[2].clockSkew: invalid duration \"30 seconds\":"
                + " expected a Gateway API duration such as 10s, 500ms or 1m30s",
            "bad.yaml:19: AccessPolicy/jwt: spec.authentication.jwt.providers[3].name: duplicate provider name \"plain-http\"",
            "bad.yaml:21: AccessPolicy/jwt: spec.authentication.jwt.providers[3].jwks.url: must be an https URL with a host",
            "bad.yaml:21: AccessPolicy/jwt: spec.authentication.jwt.providers[3].jwks.refresh: must be at least 1s (got 500ms)",
            "bad.yaml:22: AccessPolicy/jwt: spec.authentication.jwt.providers[3].claims.subject: must not be blank",
            "bad.yaml:25: AccessPolicy/jwt: spec.authentication.jwt.providers[4].jwks.url: URL must not have user info",
            "bad.yaml:33: AccessPolicy/empty: spec.authentication.jwt.providers: at least one provider is required");
  }

  private static final String RATE_LIMIT = """
      apiVersion: aigis.dev/v1alpha1
      kind: RateLimitPolicy
      metadata: {name: limits}
      spec:
        targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
        failureMode: FailClosed
        emitRateLimitResponseHeaders: Disabled
        store: {redis: {url: "rediss://redis.example.com:6380/2", passwordSecret: redis-auth, timeout: 250ms}}
        rules:
        - name: tokens-per-key
          key: identity.key
          limit: {volumeUnits: TOKENS, volume: 10000, timeUnit: Minute, timeValue: 1}
          costExpression: usage.input_tokens + usage.output_tokens
          trafficMatcher: {celMatcher: 'k8s.llm.model.startsWith("gpt")'}
          shadowMode: true
        - name: budget
          limit: {volumeUnits: COST, volume: 12.5, timeUnit: Month}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: redis-auth}
      stringData: {password: hunter2}
      """;

  @Test
  void rateLimitPolicyReadsEveryField() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("p.yaml", RATE_LIMIT + BASE, ENV);

    RateLimitPolicy policy = snapshot.policies().rateLimit("Gateway", "default", "gw").orElseThrow();
    assertThat(policy.failureMode()).isEqualTo(RateLimitPolicy.StoreFailureMode.FailClosed);
    assertThat(policy.emitRateLimitResponseHeaders()).isEqualTo(RateLimitPolicy.HeaderMode.Disabled);
    assertThat(policy.store().redisUrl()).isEqualTo(URI.create("rediss://redis.example.com:6380/2"));
    assertThat(policy.store().passwordSecret()).isEqualTo("redis-auth");
    assertThat(policy.store().timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(policy.rules()).containsExactly(
        new RateLimitRule("tokens-per-key", "identity.key",
            new Limit(RateLimitRule.Unit.TOKENS, new BigDecimal("10000"), RateLimitRule.TimeUnit.Minute, 1),
            "usage.input_tokens + usage.output_tokens", "k8s.llm.model.startsWith(\"gpt\")", true),
        new RateLimitRule("budget", null,
            new Limit(RateLimitRule.Unit.COST, new BigDecimal("12.5"), RateLimitRule.TimeUnit.Month, 1), null, null, false));
  }

  @Test
  void rateLimitDefaults() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("p.yaml", """
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: limits}
        spec:
          targetRef: {kind: Gateway, name: gw}
          emitRateLimitResponseHeaders: DRAFT-3
          store: {}
          rules: [{name: r, limit: {volumeUnits: REQUESTS, volume: 5, timeUnit: Second}}]
        """ + BASE, ENV);

    RateLimitPolicy policy = snapshot.policies().rateLimitPolicies().getFirst();
    assertThat(policy.failureMode()).isEqualTo(RateLimitPolicy.StoreFailureMode.FailOpen);
    assertThat(policy.emitRateLimitResponseHeaders()).isEqualTo(RateLimitPolicy.HeaderMode.DRAFT_3);
    assertThat(policy.store().inMemory()).isTrue();
  }

  @Test
  void rateLimitPolicyRules() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: bad}
        spec:
          targetRef: {kind: Gateway, name: gw}
          failureMode: FailSilently
          emitRateLimitResponseHeaders: DRAFT_3
          store: {redis: {url: "redis://:pw@redis:6379", timeout: 0s, passwordSecret: Redis_Auth}}
          rules:
          - name: a
            key: ""
            limit: {volumeUnits: TOKENS, volume: 10.5, timeUnit: Minute, timeValue: 0}
            trafficMatcher: {}
          - name: b
            limit: {volumeUnits: COST, volume: 0.0000000001, timeUnit: Fortnight}
            shadowMode: "yes"
          - name: c
            limit: {volumeUnits: REQUESTS, volume: -1, timeUnit: Day}
          - name: d
            limit: {volumeUnits: BYTES, volume: "10", timeUnit: Hour}
          - name: e
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: urls}
        spec:
          targetRef: {kind: Gateway, name: gw}
          store: {redis: {url: "http://redis:6379"}}
          rules: []
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: urls2}
        spec:
          targetRef: {kind: Gateway, name: gw}
          store: {redis: {url: "redis://redis:6379/zero?x=1"}}
          rules: [{name: r, limit: {volumeUnits: REQUESTS, volume: 10000000000000000000, timeUnit: Day}}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: urls3}
        spec:
          targetRef: {kind: Gateway, name: gw}
          store: {redis: {url: "redis://redis:6379/db"}}
          rules: [{name: r, limit: {volumeUnits: REQUESTS, volume: 1, timeUnit: Day}}]
        """ + BASE))
        .containsExactly(
            "bad.yaml:6: RateLimitPolicy/bad: spec.failureMode: must be one of FailOpen, FailClosed (got \"FailSilently\")",
            "bad.yaml:7: RateLimitPolicy/bad: spec.emitRateLimitResponseHeaders: must be one of DRAFT-3, Disabled (got \"DRAFT_3\")",
            "bad.yaml:8: RateLimitPolicy/bad: spec.store.redis.url: URL must not have user info;"
                + " put the password in a Secret named by passwordSecret",
            "bad.yaml:8: RateLimitPolicy/bad: spec.store.redis.passwordSecret: invalid Secret name \"Redis_Auth\":"
                + " must be lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
            "bad.yaml:8: RateLimitPolicy/bad: spec.store.redis.timeout: must be positive (got 0s)",
            "bad.yaml:11: RateLimitPolicy/bad: spec.rules[0].key: must not be blank",
            "bad.yaml:12: RateLimitPolicy/bad: spec.rules[0].limit.volume: must be a whole number of tokens (got 10.5)",
            "bad.yaml:12: RateLimitPolicy/bad: spec.rules[0].limit.timeValue: must be at least 1 (got 0)",
            "bad.yaml:13: RateLimitPolicy/bad: spec.rules[0].trafficMatcher.celMatcher: required field is missing",
            "bad.yaml:15: RateLimitPolicy/bad: spec.rules[1].limit.volume: USD volumes have at most 9 decimal places"
                + " (nano-USD), got 0.0000000001",
            "bad.yaml:15: RateLimitPolicy/bad: spec.rules[1].limit.timeUnit: must be one of Second, Minute, Hour, Day,"
                + " Month (got \"Fortnight\")",
            "bad.yaml:16: RateLimitPolicy/bad: spec.rules[1].shadowMode: expected true or false, got a string",
            "bad.yaml:18: RateLimitPolicy/bad: spec.rules[2].limit.volume: must be greater than 0 (got -1)",
            "bad.yaml:20: RateLimitPolicy/bad: spec.rules[3].limit.volumeUnits: must be one of REQUESTS, TOKENS, COST"
                + " (got \"BYTES\")",
            "bad.yaml:20: RateLimitPolicy/bad: spec.rules[3].limit.volume: expected a number, got a string",
            "bad.yaml:21: RateLimitPolicy/bad: spec.rules[4].limit: required field is missing",
            "bad.yaml:28: RateLimitPolicy/urls: spec.store.redis.url: URL scheme must be redis or rediss (TLS)",
            "bad.yaml:29: RateLimitPolicy/urls: spec.rules: at least one rule is required",
            "bad.yaml:36: RateLimitPolicy/urls2: spec.store.redis.url: URL must not have a query or a fragment",
            "bad.yaml:37: RateLimitPolicy/urls2: spec.rules[0].limit.volume: must be at most 9223372036854775807",
            "bad.yaml:44: RateLimitPolicy/urls3: spec.store.redis.url: URL path must be empty or a database number such as /0");
  }

  @Test
  void priceCatalogReadsAndChecksItsEntries() throws ConfigException {
    ConfigSnapshot snapshot = ConfigPipeline.compileText("p.yaml", """
        apiVersion: aigis.dev/v1alpha1
        kind: PriceCatalog
        metadata: {name: prices}
        spec:
          prices:
          - {model: gpt-4o, input: 2.50, output: 10.00, cachedInput: 1.25}
          - {modelPrefix: my-llama-, input: 0, output: 0.1}
        """ + BASE, ENV);
    assertThat(snapshot.policies().prices()).containsExactly(
        new ModelPrice("gpt-4o", false, new BigDecimal("2.50"), new BigDecimal("10.00"), new BigDecimal("1.25")),
        new ModelPrice("my-llama-", true, new BigDecimal("0"), new BigDecimal("0.1"), null));

    assertThat(errors("""
        apiVersion: aigis.dev/v1alpha1
        kind: PriceCatalog
        metadata: {name: prices}
        spec:
          prices:
          - {model: gpt-4o, modelPrefix: gpt-, input: 1, output: 1}
          - {input: 1, output: -1, cachedInput: x}
          - {model: a, input: 1, output: 1}
          - {model: a, input: 1}
          - {modelPrefix: " ", input: 1, output: 1}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PriceCatalog
        metadata: {name: empty}
        spec: {prices: []}
        """ + BASE))
        .containsExactly(
            "bad.yaml:6: PriceCatalog/prices: spec.prices[0]: set exactly one of model or modelPrefix",
            "bad.yaml:7: PriceCatalog/prices: spec.prices[1]: set exactly one of model or modelPrefix",
            "bad.yaml:7: PriceCatalog/prices: spec.prices[1].output: must not be negative (got -1)",
            "bad.yaml:7: PriceCatalog/prices: spec.prices[1].cachedInput: expected a number, got a string",
            "bad.yaml:9: PriceCatalog/prices: spec.prices[3].model: duplicate price for model \"a\" in this catalogue",
            "bad.yaml:9: PriceCatalog/prices: spec.prices[3].output: required field is missing",
            "bad.yaml:10: PriceCatalog/prices: spec.prices[4].modelPrefix: must not be blank",
            "bad.yaml:15: PriceCatalog/empty: spec.prices: at least one price is required");
  }

  @Test
  void policyKindsNeedTheirApiVersion() {
    assertThat(errors("""
        apiVersion: aigis.dev/v1
        kind: RateLimitPolicy
        metadata: {name: x}
        spec: {}
        """ + BASE))
        .containsExactly("bad.yaml:1: RateLimitPolicy/x: apiVersion: RateLimitPolicy must have apiVersion aigis.dev/v1alpha1,"
            + " not aigis.dev/v1");
  }
}
