package dev.aigis.app.policy;

import dev.aigis.app.PolicyYaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.app.GatewayFixture;
import dev.aigis.core.identity.ApiKeys;
import dev.aigis.core.usage.TokenEstimator;
import dev.aigis.server.ServerOptions;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.FakeOptions;
import dev.aigis.testkit.ManualClock;
import dev.aigis.testkit.ManualScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One in-process gateway with the in-memory store under 200 requests sent at once for one key (HTTP/1.1,
 * so as many connections as requests in flight): a REQUESTS limit admits exactly its volume, and a TOKENS limit admits
 * estimates up to at most the limit plus one request's estimate, then settles at what the provider
 * reported. The gateway's clock is manual, so the window never rolls over under the test.
 */
class MemoryStoreConcurrencyTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final int PARALLEL = 200;
  static final int REQUEST_LIMIT = 50;
  static final int TOKEN_LIMIT = 2_000;
  static final String REQUESTS_KEY = ApiKeys.generate(new SecureRandom());
  static final String TOKENS_KEY = ApiKeys.generate(new SecureRandom());
  static final ManualClock clock = ManualClock.at("2026-12-07T10:00:05Z");
  /** The fake upstream's time: held answers go out only when the test moves it. */
  static final ManualScheduler upstreamTime = new ManualScheduler();

  static FakeOpenAiUpstream upstream;
  static GatewayFixture gateway;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() {
    upstream = FakeOpenAiUpstream.start(FakeOptions.defaults().withScheduler(upstreamTime));
    gateway = GatewayFixture.start(config(upstream.port()),
        ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1"), Map.of(), clock);
  }

  static String config(int upstreamPort) {
    return PolicyYaml.gatewayTo("default", "${PORT}", upstreamPort)
        + PolicyYaml.apiKey("default", "requests", "requests", REQUESTS_KEY, "")
        + PolicyYaml.apiKey("default", "tokens", "tokens", TOKENS_KEY, "")
        + PolicyYaml.everyKeyAllowed("default") + """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: limits}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          rules:
          - name: requests
            key: identity.key
            trafficMatcher: {celMatcher: 'identity.team == "requests"'}
            limit: {volumeUnits: REQUESTS, volume: %d, timeUnit: Minute}
          - name: tokens
            key: identity.key
            trafficMatcher: {celMatcher: 'identity.team == "tokens"'}
            limit: {volumeUnits: TOKENS, volume: %d, timeUnit: Minute}
        """.formatted(REQUEST_LIMIT, TOKEN_LIMIT);
  }

  @AfterAll
  static void stop() {
    http.close();
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @BeforeEach
  void clear() {
    upstream.reset();
  }

  @Test
  void aRequestLimitOf50AdmitsExactly50Of200ParallelRequests() {
    String body = chatBody(0, 16);
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < PARALLEL; i++) {
      sent.add(http.sendAsync(post(REQUESTS_KEY, body, null), HttpResponse.BodyHandlers.ofString()));
    }
    int admitted = 0;
    int limited = 0;
    for (CompletableFuture<HttpResponse<String>> future : sent) {
      HttpResponse<String> response = future.join();
      switch (response.statusCode()) {
        case 200 -> admitted++;
        case 429 -> {
          assertThat(response.headers().firstValue("retry-after")).hasValue("55");
          assertThat(response.headers().firstValue("ratelimit-remaining")).hasValue("0");
          limited++;
        }
        default -> throw new AssertionError(response.statusCode() + ": " + response.body());
      }
    }
    assertThat(admitted).isEqualTo(REQUEST_LIMIT);
    assertThat(limited).isEqualTo(PARALLEL - REQUEST_LIMIT);
    assertThat(upstream.requests()).hasSize(REQUEST_LIMIT);
  }

  @Test
  void aTokenLimitAdmitsAtMostOneEstimateBeyondItAndSettlesAtTheReportedUsage() throws Exception {
    // Each request has its own output ceiling (so its own estimate) and its own reported usage. The
    // upstream holds every admitted request (a scripted delay on its manual time) until all 200
    // have been decided, so no correction frees budget while admission is under way.
    long[] estimates = new long[PARALLEL];
    long[] reported = new long[PARALLEL];
    CountDownLatch decided = new CountDownLatch(PARALLEL);
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < PARALLEL; i++) {
      String body = chatBody(i, 40 + (i % 7) * 10);
      TokenEstimator.Estimate estimate = TokenEstimator.estimate((ObjectNode) JSON.readTree(body));
      estimates[i] = estimate.inputTokens() + estimate.maxOutputTokens();
      int prompt = 5 + i % 11;
      int completion = 1 + i % 13;
      reported[i] = prompt + completion;
      String behavior = "{\"delayMs\":1000,\"promptTokens\":" + prompt + ",\"completionTokens\":" + completion + "}";
      CompletableFuture<HttpResponse<String>> future =
          http.sendAsync(post(TOKENS_KEY, body, behavior), HttpResponse.BodyHandlers.ofString());
      future.whenComplete((response, failure) -> decided.countDown()); // refused: answered at once
      sent.add(future);
    }
    Thread held = Thread.ofVirtual().start(() -> {
      try {
        for (long left = PARALLEL; left > 0; left--) {
          if (upstreamTime.awaitDelay(Duration.ofSeconds(30)) == null) {
            return;
          }
          decided.countDown(); // admitted: now waiting at the upstream
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(decided.await(30, TimeUnit.SECONDS)).as("all 200 requests refused or held upstream").isTrue();
    held.interrupt();

    int waiting = upstream.requests().size();
    long admittedEstimates = 0;
    long maxEstimate = 0;
    for (int i = 0; i < PARALLEL; i++) {
      maxEstimate = Math.max(maxEstimate, estimates[i]);
      if (!sent.get(i).isDone()) {
        admittedEstimates += estimates[i];
      } else {
        HttpResponse<String> refused = sent.get(i).join();
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(JSON.readTree(refused.body()).path("error").path("type").asText()).isEqualTo("tokens");
      }
    }
    assertThat(waiting).isPositive().isLessThan(PARALLEL);
    // Refused only once used >= limit, and the last admission found used < limit.
    assertThat(admittedEstimates).isGreaterThanOrEqualTo(TOKEN_LIMIT).isLessThan(TOKEN_LIMIT + maxEstimate);
    assertThat(used("tokens")).isEqualTo(admittedEstimates);

    upstreamTime.advance(Duration.ofSeconds(1));
    long reportedByAdmitted = 0;
    int admitted = 0;
    for (int i = 0; i < PARALLEL; i++) {
      HttpResponse<String> response = sent.get(i).join();
      if (response.statusCode() == 200) {
        admitted++;
        JsonNode usage = JSON.readTree(response.body()).path("usage");
        assertThat(usage.path("total_tokens").asLong()).isEqualTo(reported[i]);
        reportedByAdmitted += reported[i];
      }
    }
    assertThat(admitted).isEqualTo(waiting);
    long expected = reportedByAdmitted;
    assertThat(eventually(() -> used("tokens"), used -> used == expected)).isEqualTo(expected);
  }

  static String chatBody(int i, int maxTokens) {
    return "{\"model\":\"gpt-4o-mini\",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Request number " + i + ": say something short.\"}]}";
  }

  static HttpRequest post(String key, String body, String behavior) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").header("authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (behavior != null) {
      request.header("x-fake-behavior", behavior);
    }
    return request.build();
  }

  /** What {@code /admin/usage} reports as used by the bucket of {@code rule} for the key named {@code rule}. */
  static long used(String rule) throws Exception {
    for (JsonNode bucket : JSON.readTree(gateway.admin("/admin/usage").body()).path("buckets")) {
      if (bucket.path("rule").asText().equals(rule) && bucket.path("key").asText().equals(rule)) {
        return bucket.path("used").asLong();
      }
    }
    return 0;
  }

  /**
   * Charges are corrected in each exchange's completion hook, which runs just after its last byte
   * went out: the client can ask before the last hooks have run. Re-reads (no fixed sleep) until it
   * holds or a deadline for a broken test passes.
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
