package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import com.sun.net.httpserver.HttpServer;
import dev.aigis.core.identity.ApiKeys;
import dev.aigis.server.ServerOptions;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Identity, access and limits end to end: the official OpenAI and Anthropic SDKs against a real
 * gateway with an AccessPolicy (API keys and JWTs from a JWKS served on loopback) and a
 * RateLimitPolicy, in front of the fake OpenAI upstream. The gateway's clock is manual, so windows
 * never roll over under the test.
 */
class PolicyEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant START = Instant.parse("2026-12-07T10:00:05Z");
  static final AtomicReference<Instant> now = new AtomicReference<>(START);
  static final String ISSUER = "https://id.example.test";

  static final String ALICE = ApiKeys.generate(new SecureRandom()); // research: gpt-4o*
  static final String BOB = ApiKeys.generate(new SecureRandom());   // sales: gpt-3.5*, 3 requests a minute
  static final String CAROL = ApiKeys.generate(new SecureRandom()); // research, but her key is limited to gpt-4o
  static final String DAVE = ApiKeys.generate(new SecureRandom());  // team budget: a USD 0.00002 daily budget

  static FakeOpenAiUpstream upstream;
  static GatewayFixture gateway;
  static HttpServer issuer;
  static final AtomicReference<String> jwks = new AtomicReference<>();
  static final AtomicInteger jwksFetches = new AtomicInteger();
  static RSAKey signingKey;

  @BeforeAll
  static void start() throws Exception {
    signingKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    jwks.set(new JWKSet(signingKey.toPublicJWK()).toString());
    issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer.createContext("/jwks.json", exchange -> {
      jwksFetches.incrementAndGet();
      byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    issuer.start();
    upstream = FakeOpenAiUpstream.start();
    gateway = GatewayFixture.start(config(issuer.getAddress().getPort(), true),
        ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1"), Map.of(), () -> now.get());
  }

  static String config(int issuerPort, boolean withBob) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: upstream-key}
        stringData: {apiKey: sk-upstream-secret}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: fake}
        spec:
          schema: OpenAI
          endpoint: {host: 127.0.0.1, port: %d}
          credentials: {secretRef: {name: upstream-key, key: apiKey}}
          timeouts: {connect: 2s, response: 2s, idle: 2s}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o-mini}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-3.5-turbo-instruct}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake}]
        """.formatted(upstream.port()) + PolicyYaml.apiKey("default", "alice", "research", ALICE, "")
        + (withBob ? PolicyYaml.apiKey("default", "bob", "sales", BOB, "") : "")
        + PolicyYaml.apiKey("default", "carol", "research", CAROL, "models: gpt-4o")
        + PolicyYaml.apiKey("default", "dave", "budget", DAVE, "") + """
        ---
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
                issuer: %s
                audiences: [aigis]
                jwks: {url: "http://127.0.0.1:%d/jwks.json"}
                algorithms: [RS256]
          rules:
          - name: research-gpt-4o
            from: {teams: [research]}
            models: [{type: Prefix, value: gpt-4o}]
            action: Allow
          - name: ml-group
            from: {cel: 'identity.groups.exists(g, g == "ml")'}
            models: [{type: Exact, value: gpt-4o-mini}]
            action: Allow
          - name: budget-team
            from: {teams: [budget]}
            models: [{type: Exact, value: gpt-4o-mini}]
            action: Allow
          - name: sales
            from: {teams: [sales]}
            models: [{type: RegularExpression, value: "gpt-3\\\\.5.*"}]
            action: Allow
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: limits}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          rules:
          - name: tokens-per-key
            key: identity.key
            limit: {volumeUnits: TOKENS, volume: 100000, timeUnit: Minute}
          - name: sales-requests
            key: identity.key
            trafficMatcher: {celMatcher: 'identity.team == "sales"'}
            limit: {volumeUnits: REQUESTS, volume: 3, timeUnit: Minute}
          - name: daily-budget
            key: identity.team
            trafficMatcher: {celMatcher: 'identity.team == "budget"'}
            limit: {volumeUnits: COST, volume: 0.00002, timeUnit: Day}
        """.formatted(ISSUER, issuerPort);
  }

  @AfterAll
  static void stop() {
    clients.values().forEach(OpenAIClient::close);
    gateway.close();
    upstream.close();
    issuer.stop(0);
  }

  @BeforeEach
  void clear() {
    upstream.reset();
  }

  static final Map<String, OpenAIClient> clients = new java.util.concurrent.ConcurrentHashMap<>();

  /** One SDK client per key for the whole class; closed after it. */
  static OpenAIClient openAi(String key) {
    return clients.computeIfAbsent(key, k -> OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey(k)
        .maxRetries(0).timeout(Duration.ofSeconds(10)).build());
  }

  static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello").build();
  }

  @Test
  void aMissingOrUnknownKeyIsA401InTheCallersFormatAndNothingGoesUpstream() throws Exception {
    HttpResponse<String> missing = gateway.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"aigis\"");
    JsonNode error = JSON.readTree(missing.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("invalid_api_key");
    assertThat(error.path("message").asText()).startsWith("Authentication failed: no API key or bearer token");

    String forged = ApiKeys.generate(new SecureRandom());
    {
      OpenAIClient client = openAi(forged);
      assertThatThrownBy(() -> client.chat().completions().create(chat("gpt-4o-mini")))
          .isInstanceOf(UnauthorizedException.class)
          .hasMessageContaining("invalid API key")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(forged));
    }
    AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(forged)
        .maxRetries(0).build();
    try {
      assertThatThrownBy(() -> anthropic.messages().create(MessageCreateParams.builder().model("gpt-4o-mini")
          .maxTokens(16).addUserMessage("hi").build()))
          .isInstanceOf(com.anthropic.errors.UnauthorizedException.class);
    } finally {
      anthropic.close();
    }
    assertThat(upstream.requests().size()).isZero();
  }

  @Test
  void aKeyIsCheckedAgainstTheRulesAndItsOwnModelListAndNeverForwarded() throws Exception {
    upstream.enqueue(Behavior.ok().withReply("hello").withUsage(9, 2));
    long earlier = used("tokens-per-key", "alice");
    {
      OpenAIClient alice = openAi(ALICE);
      OpenAIClient bob = openAi(BOB);
      OpenAIClient carol = openAi(CAROL);
      ChatCompletion answer = alice.chat().completions().create(chat("gpt-4o-mini"));
      assertThat(answer.choices().getFirst().message().content()).contains("hello");
      assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-upstream-secret");

      assertThatThrownBy(() -> bob.chat().completions().create(chat("gpt-4o-mini")))
          .isInstanceOf(PermissionDeniedException.class)
          .hasMessageContaining("API key bob is not allowed to use the model `gpt-4o-mini`");
      // Carol's team may use gpt-4o*, but her key names only gpt-4o.
      assertThatThrownBy(() -> carol.chat().completions().create(chat("gpt-4o-mini")))
          .isInstanceOf(PermissionDeniedException.class);
    }
    assertThat(upstream.requests().size()).isEqualTo(1);
    // Every test that charges a key waits for its correction, so the next one starts from settled counts.
    assertThat(eventually(() -> used("tokens-per-key", "alice"), used -> used == earlier + 11)).isEqualTo(earlier + 11);
  }

  @Test
  void theModelListShowsOnlyWhatTheCallerMayUse() {
    {
      OpenAIClient alice = openAi(ALICE);
      OpenAIClient bob = openAi(BOB);
      List<String> forAlice = alice.models().list().data().stream().map(Model::id).toList();
      List<String> forBob = bob.models().list().data().stream().map(Model::id).toList();
      assertThat(forAlice).containsExactly("gpt-4o-mini", "gpt-4o");
      assertThat(forBob).containsExactly("gpt-3.5-turbo-instruct");
    }
    assertThat(gateway.get("/v1/models").statusCode()).isEqualTo(401);
  }

  @Test
  void aStreamedAnswerIsChargedTheUsageTheProviderReported() throws Exception {
    upstream.enqueue(Behavior.ok().withReply("one two three").withUsage(40, 3));
    long earlier = used("tokens-per-key", "alice");
    OpenAIClient alice = openAi(ALICE);
    try (StreamResponse<ChatCompletionChunk> stream = alice.chat().completions().createStreaming(
            ChatCompletionCreateParams.builder().model("gpt-4o-mini").maxCompletionTokens(500)
                .addUserMessage("count to three").build())) {
      assertThat(stream.stream().count()).isPositive();
    }
    // Admitted on an estimate (prompt tokens + the 500-token ceiling), then corrected to 40 + 3.
    assertThat(eventually(() -> used("tokens-per-key", "alice"), used -> used == earlier + 43)).isEqualTo(earlier + 43);
  }

  @Test
  void aTranslatedAnswerToAnAnthropicClientIsChargedToo() throws Exception {
    upstream.enqueue(Behavior.ok().withReply("bonjour").withUsage(21, 5));
    long before = used("tokens-per-key", "carol");
    AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(CAROL)
        .maxRetries(0).build();
    try {
      var message = anthropic.messages().create(MessageCreateParams.builder().model("gpt-4o")
          .maxTokens(64).addUserMessage("hi").build());
      assertThat(message.usage().inputTokens()).isEqualTo(21);
    } finally {
      anthropic.close();
    }
    assertThat(eventually(() -> used("tokens-per-key", "carol"), used -> used == before + 26)).isEqualTo(before + 26);
  }

  @Test
  void theFourthRequestInAMinuteIsA429WithRetryAfterAndRateLimitHeaders() throws Exception {
    now.set(START.plus(Duration.ofMinutes(10))); // a window of its own
    for (int i = 0; i < 3; i++) {
      upstream.enqueue(Behavior.ok().withReply("ok").withUsage(5, 1));
    }
    String body = "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"hi\"}";
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> ok = completions(BOB, body);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("ratelimit-remaining")).isPresent();
    }
    HttpResponse<String> limited = completions(BOB, body);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("retry-after")).hasValue("55"); // the window ends at :11:00
    assertThat(limited.headers().firstValue("ratelimit-limit")).hasValue("3");
    assertThat(limited.headers().firstValue("ratelimit-remaining")).hasValue("0");
    assertThat(limited.headers().firstValue("ratelimit-reset")).hasValue("55");
    assertThat(JSON.readTree(limited.body()).path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    {
      OpenAIClient bob = openAi(BOB);
      assertThatThrownBy(() -> bob.completions().create(com.openai.models.completions.CompletionCreateParams.builder()
          .model("gpt-3.5-turbo-instruct").prompt("hi").build()))
          .isInstanceOf(RateLimitException.class);
    }
    assertThat(upstream.requests().size()).isEqualTo(3);
    now.set(START.plus(Duration.ofMinutes(11))); // the next window admits again
    upstream.enqueue(Behavior.ok().withReply("ok").withUsage(5, 1));
    assertThat(completions(BOB, body).statusCode()).isEqualTo(200);
  }

  @Test
  void aJwtFromTheJwksIsAnIdentityAndARotatedKeyIsPickedUpWithoutARestart() throws Exception {
    upstream.enqueue(Behavior.ok().withReply("hi").withUsage(3, 1));
    upstream.enqueue(Behavior.ok().withReply("hi").withUsage(3, 1));
    {
      OpenAIClient client = openAi(token(signingKey, "dana", List.of("ml")));
      assertThat(client.chat().completions().create(chat("gpt-4o-mini")).choices()).hasSize(1);
    }
    {
      OpenAIClient client = openAi(token(signingKey, "erin", List.of("finance")));
      assertThatThrownBy(() -> client.chat().completions().create(chat("gpt-4o-mini")))
          .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("Subject erin");
    }
    RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
    jwks.set(new JWKSet(List.of(rotated.toPublicJWK(), signingKey.toPublicJWK())).toString());
    {
      OpenAIClient client = openAi(token(rotated, "dana", List.of("ml")));
      assertThat(client.chat().completions().create(chat("gpt-4o-mini")).choices()).hasSize(1);
    }
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate(); // a known kid, the wrong key
    {
      OpenAIClient client = openAi(token(stranger, "mallory", List.of("ml")));
      assertThatThrownBy(() -> client.chat().completions().create(chat("gpt-4o-mini")))
          .isInstanceOf(UnauthorizedException.class);
    }
  }

  @Test
  void aBudgetIsChargedThePricedUsageAndASpentBudgetIsA429() throws Exception {
    // gpt-4o-mini: USD 0.15 in and 0.60 out per million tokens, so 100 + 20 tokens cost USD 0.000027.
    upstream.enqueue(Behavior.ok().withReply("fine").withUsage(100, 20));
    assertThat(openAi(DAVE).chat().completions().create(chat("gpt-4o-mini")).choices()).hasSize(1);
    JsonNode budget = eventually(() -> bucket("daily-budget", "budget"),
        b -> b != null && b.path("usedUsd").decimalValue().compareTo(new java.math.BigDecimal("0.000027")) == 0);
    assertThat(budget.path("usedUsd").decimalValue()).isEqualByComparingTo("0.000027");
    assertThat(budget.path("limitUsd").decimalValue()).isEqualByComparingTo("0.00002");
    assertThat(budget.path("remainingUsd").decimalValue()).isEqualByComparingTo("0");

    HttpResponse<String> spent = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("content-type", "application/json").header("authorization", "Bearer " + DAVE)
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}")).build());
    assertThat(spent.statusCode()).isEqualTo(429);
    JsonNode error = JSON.readTree(spent.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("insufficient_quota");
    assertThat(error.path("message").asText()).startsWith("Budget exceeded (rule daily-budget)");
    assertThat(upstream.requests()).hasSize(1);
  }

  @Test
  void aReloadRevokesARemovedKeyAndKeepsTheCounters() throws Exception {
    upstream.enqueue(Behavior.ok().withReply("hi").withUsage(4, 1));
    long earlier = used("tokens-per-key", "carol"); // carol's other exchange waited for its correction
    openAi(CAROL).chat().completions().create(chat("gpt-4o"));
    long before = eventually(() -> used("tokens-per-key", "carol"), used -> used == earlier + 5);
    assertThat(before).isEqualTo(earlier + 5);
    String withoutBob = config(issuer.getAddress().getPort(), false);
    gateway.server.apply(snapshot(withoutBob));
    try {
      assertThatThrownBy(() -> openAi(BOB).models().list()).isInstanceOf(UnauthorizedException.class);
      assertThat(used("tokens-per-key", "carol")).isEqualTo(before);
    } finally {
      gateway.server.apply(snapshot(config(issuer.getAddress().getPort(), true)));
    }
    assertThat(openAi(BOB).models().list().data()).isNotEmpty();
  }

  static dev.aigis.model.snapshot.ConfigSnapshot snapshot(String yaml) throws Exception {
    return dev.aigis.model.load.ConfigPipeline.compileText("test.yaml",
        yaml.replace("${PORT}", Integer.toString(gateway.port)), Map.<String, String>of()::get);
  }

  /** One bucket of {@code /admin/usage} in the current window, or null. */
  static JsonNode bucket(String rule, String key) throws Exception {
    JsonNode found = null;
    for (JsonNode bucket : JSON.readTree(gateway.admin("/admin/usage").body()).path("buckets")) {
      if (bucket.path("rule").asText().equals(rule) && bucket.path("key").asText().equals(key)
          && !Instant.parse(bucket.path("windowEnd").asText()).isBefore(now.get())) {
        found = bucket;
      }
    }
    return found;
  }

  static String token(RSAKey key, String subject, List<String> groups) throws Exception {
    var claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience("aigis").subject(subject)
        .claim("groups", groups).issueTime(Date.from(now.get()))
        .expirationTime(Date.from(now.get().plus(Duration.ofHours(1)))).build();
    var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  static HttpResponse<String> completions(String key, String body) {
    return gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/completions"))
        .header("content-type", "application/json").header("authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** What {@code /admin/usage} reports for a rule's bucket of one key in the current window; 0 when none. */
  static long used(String rule, String key) throws Exception {
    JsonNode report = JSON.readTree(gateway.admin("/admin/usage").body());
    long used = 0;
    for (JsonNode bucket : report.path("buckets")) {
      if (bucket.path("rule").asText().equals(rule) && bucket.path("key").asText().equals(key)
          && !Instant.parse(bucket.path("windowEnd").asText()).isBefore(now.get())) {
        used = bucket.path("used").asLong();
      }
    }
    return used;
  }

  /**
   * Charges are corrected in the exchange's completion hook, which runs just after the last byte
   * went out: the client can ask before it has run. Re-reads (no fixed sleep) until it holds.
   */
  static <T> T eventually(java.util.concurrent.Callable<T> read, java.util.function.Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    T value = read.call();
    while (!done.test(value) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
      value = read.call();
    }
    return value;
  }
}
