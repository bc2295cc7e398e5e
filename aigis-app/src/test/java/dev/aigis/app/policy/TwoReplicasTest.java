package dev.aigis.app.policy;

import dev.aigis.app.PolicyYaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.identity.ApiKeys;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway processes, sharing nothing but one real Redis, under many parallel clients: what
 * both admit together never exceeds the limit (requests exactly; tokens by at most the documented
 * in-flight bound of one request's estimate). Both processes' clocks stand still inside one window.
 */
class TwoReplicasTest {

  static final String KEY = ApiKeys.generate(new java.security.SecureRandom());
  /** Warms both fresh JVMs (JIT, Redis pool, script cache) on a bucket of its own before the measured burst. */
  static final String WARM = ApiKeys.generate(new java.security.SecureRandom());
  static final String TOKENS = ApiKeys.generate(new java.security.SecureRandom());
  static final long TOKEN_LIMIT = 2_000;
  /** Every answer reports 10 + 5 tokens. */
  static final Behavior ANSWER = Behavior.ok().withReply("ok").withUsage(10, 5);
  static final String PROMPT = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

  @TempDir static Path dir;
  static FakeOpenAiUpstream upstream;
  static final List<Process> processes = new ArrayList<>();
  static final List<Integer> ports = new ArrayList<>();
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static String prefix;

  @BeforeAll
  static void start() throws Exception {
    RedisRequirement.assumeRedis();
    upstream = FakeOpenAiUpstream.start();
    upstream.setDefault(ANSWER);
    // A namespace of its own per run, so counters left by an earlier run never count.
    prefix = "run" + UUID.randomUUID().toString().substring(0, 8);
    // Redis expires keys by its own clock, so the frozen time must lie ahead of the real one.
    String instant = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
        .plus(Duration.ofDays(1)).plusSeconds(30).toString();
    for (int i = 0; i < 2; i++) {
      ports.add(startReplica(i, instant));
    }
  }

  /** Starts one gateway process; a port taken between picking and binding (another test's) is picked again. */
  static int startReplica(int index, String instant) throws Exception {
    for (int attempt = 1; ; attempt++) {
      int port = dev.aigis.app.GatewayFixture.freePort();
      Path config = dir.resolve("gateway-" + index + ".yaml");
      Files.writeString(config, config(port, upstream.port(), prefix));
      Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), GatewayProcessMain.class.getName(), config.toString(), instant)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("PORT ")) {
        // log lines before the port
      }
      if (line != null) {
        processes.add(process);
        return Integer.parseInt(line.substring(5).strip());
      }
      process.waitFor(10, TimeUnit.SECONDS);
      assertThat(attempt).as("gateway process %d started", index).isLessThan(3);
    }
  }

  static String config(int port, int upstreamPort, String namespace) {
    return PolicyYaml.gatewayTo(namespace, Integer.toString(port), upstreamPort)
        + PolicyYaml.apiKey(namespace, "load", "load", KEY, "")
        + PolicyYaml.apiKey(namespace, "warm", "warm", WARM, "")
        + PolicyYaml.apiKey(namespace, "tokens", "tokens", TOKENS, "")
        + PolicyYaml.everyKeyAllowed(namespace) + """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: limits, namespace: %s}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          failureMode: FailClosed
          # Generous: two fresh JVMs on a loaded CI machine; FailClosed makes a slow store a 503, never a silent admit.
          store: {redis: {url: "redis://127.0.0.1:6379", timeout: 5s}}
          rules:
          - name: requests
            key: identity.key
            trafficMatcher: {celMatcher: 'identity.key != "tokens"'}
            limit: {volumeUnits: REQUESTS, volume: 60, timeUnit: Minute}
          - name: tokens
            key: identity.key
            trafficMatcher: {celMatcher: 'identity.key == "tokens"'}
            limit: {volumeUnits: TOKENS, volume: %d, timeUnit: Minute}
        """.formatted(namespace, TOKEN_LIMIT);
  }

  /**
   * Tokens: each request is admitted on its estimate (prompt + max_tokens) and corrected to the 15
   * tokens the upstream reports as soon as it completes, while others are still being admitted.
   * What was admitted, counted as it was finally charged, stays within the limit plus one
   * request's estimate (the documented in-flight bound); and at least as many as the estimates
   * alone allow get in.
   */
  @Test
  void twoReplicasTogetherKeepATokenLimitWithinOneEstimate() throws Exception {
    var pivot = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(PROMPT);
    var estimate = dev.aigis.core.usage.TokenEstimator.estimate(pivot);
    long perRequest = estimate.inputTokens() + estimate.maxOutputTokens();
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add(http.sendAsync(request(ports.get(i % 2), TOKENS), HttpResponse.BodyHandlers.ofString()));
    }
    long admitted = 0;
    for (CompletableFuture<HttpResponse<String>> response : sent) {
      int status = response.join().statusCode();
      assertThat(status).isIn(200, 429);
      admitted += status == 200 ? 1 : 0;
    }
    assertThat(admitted * 15).isLessThanOrEqualTo(TOKEN_LIMIT + perRequest);
    assertThat(admitted).isGreaterThanOrEqualTo((TOKEN_LIMIT + perRequest - 1) / perRequest);
  }

  static HttpRequest request(int port, String key) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .header("content-type", "application/json").header("authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(PROMPT)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process process : processes) {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void twoReplicasTogetherAdmitExactlyTheLimit() {
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> warm = http.sendAsync(request(ports.get(i % 2), WARM), HttpResponse.BodyHandlers.ofString()).join();
      assertThat(warm.statusCode()).as(warm.body()).isEqualTo(200);
    }
    upstream.reset();
    upstream.setDefault(ANSWER);
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int port = ports.get(i % 2);
      sent.add(http.sendAsync(request(port, KEY), HttpResponse.BodyHandlers.ofString()));
    }
    int admitted = 0;
    int limited = 0;
    int[] perReplica = new int[2];
    for (int i = 0; i < sent.size(); i++) {
      HttpResponse<String> response = sent.get(i).join();
      if (response.statusCode() == 200) {
        admitted++;
        perReplica[i % 2]++;
      } else {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("30");
        limited++;
      }
    }
    assertThat(admitted).isEqualTo(60);
    assertThat(limited).isEqualTo(140);
    // Both replicas took part: the limit held across them, not by one replica refusing everything.
    assertThat(perReplica[0]).isPositive();
    assertThat(perReplica[1]).isPositive();
    assertThat(upstream.requests()).hasSize(60);
  }
}
