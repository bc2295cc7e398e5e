package dev.aigis.app.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigis.app.GatewayFixture;
import dev.aigis.core.identity.ApiKeys;
import dev.aigis.server.ServerOptions;
import dev.aigis.server.policy.PolicyRuntime;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.ManualClock;
import dev.aigis.testkit.RedisServerProcess;
import dev.aigis.testkit.RequiresRedis;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A real gateway whose two RateLimitPolicies count in one private Redis, which the test kills
 * (SIGKILL) and restarts on the same port: the route for {@code gpt-4o-mini} has a FailOpen policy,
 * the route for {@code gpt-4o} a FailClosed one, each allowing 5 requests a minute per key. The
 * gateway's clock is manual: it stays inside one window, and moves only to pass the store's probe
 * interval.
 */
@RequiresRedis(shared = false, executable = true)
class RedisOutageTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = ApiKeys.generate(new SecureRandom());
  static final String OPEN_MODEL = "gpt-4o-mini";
  static final String CLOSED_MODEL = "gpt-4o";
  static final ManualClock clock = ManualClock.at("2026-12-07T10:00:05Z"); // the window ends at 10:01:00

  static RedisServerProcess redis;
  static FakeOpenAiUpstream upstream;
  static GatewayFixture gateway;
  static final Transitions transitions = new Transitions();

  @BeforeAll
  static void start() {
    // An append-only file fsynced on every write, so counts survive the SIGKILL, as in a Redis run
    // with persistence (the testkit's default is a cache-only Redis that comes back empty).
    redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
    upstream = FakeOpenAiUpstream.start();
    upstream.setDefault(Behavior.ok().withReply("ok").withUsage(5, 1));
    transitions.open();
    gateway = GatewayFixture.start(config(upstream.port(), redis.port()),
        ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1"), Map.of(), clock);
  }

  static String config(int upstreamPort, int redisPort) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: fake}
        spec:
          schema: OpenAI
          endpoint: {host: 127.0.0.1, port: %1$d}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: open}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: %3$s}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: closed}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: %4$s}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: aigis-key-outage}
        type: aigis.dev/api-key
        stringData: {name: outage, sha256: %5$s}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AccessPolicy
        metadata: {name: access}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          authentication: {apiKeys: {}}
          rules: [{name: everyone, action: Allow}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: open-limits}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: open}
          failureMode: FailOpen
          store: {redis: {url: "redis://127.0.0.1:%2$d", timeout: 200ms}}
          rules:
          - name: requests
            key: identity.key
            limit: {volumeUnits: REQUESTS, volume: 5, timeUnit: Minute}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: closed-limits}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: closed}
          failureMode: FailClosed
          store: {redis: {url: "redis://127.0.0.1:%2$d", timeout: 200ms}}
          rules:
          - name: requests
            key: identity.key
            limit: {volumeUnits: REQUESTS, volume: 5, timeUnit: Minute}
        """.formatted(upstreamPort, redisPort, OPEN_MODEL, CLOSED_MODEL, ApiKeys.sha256Hex(KEY));
  }

  @AfterAll
  static void stop() {
    transitions.close();
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void failOpenCountsLocallyAndFailClosedRefusesWhileRedisIsDownAndBothRecoverWithRedisCounts() throws Exception {
    // Redis up: both policies count in Redis.
    assertAdmitted(OPEN_MODEL, 4);
    assertAdmitted(OPEN_MODEL, 3);
    assertAdmitted(CLOSED_MODEL, 4);
    assertAdmitted(CLOSED_MODEL, 3);
    assertThat(transitions.lines).isEmpty();

    redis.stop();

    // FailOpen: this replica's memory takes over with counts of its own, and still holds the limit.
    for (int remaining = 4; remaining >= 0; remaining--) {
      assertAdmitted(OPEN_MODEL, remaining);
    }
    HttpResponse<String> locallyLimited = chat(OPEN_MODEL);
    assertThat(locallyLimited.statusCode()).isEqualTo(429);
    assertThat(locallyLimited.headers().firstValue("retry-after")).hasValue("55");
    assertThat(code(locallyLimited)).isEqualTo("rate_limit_exceeded");

    // FailClosed: 503 in the caller's format, whether the call found Redis gone or was refused at
    // once because the store is known to be down.
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> unavailable = chat(CLOSED_MODEL);
      assertThat(unavailable.statusCode()).isEqualTo(503);
      assertThat(unavailable.headers().firstValue("retry-after")).hasValue("1");
      assertThat(code(unavailable)).isEqualTo("rate_limit_unavailable");
    }
    assertThat(upstream.requests()).hasSize(4 + 5);

    String store = "redis://127.0.0.1:" + redis.port();
    String metrics = gateway.admin("/metrics").body();
    // Every FailOpen admission during the outage (5 admitted, 1 refused) was served by the fallback.
    assertThat(metric(metrics, "aigis_ratelimit_store_fallbacks_total", store)).isEqualTo(6.0);
    assertThat(metric(metrics, "aigis_ratelimit_store_up", store)).isEqualTo(0.0);
    assertThat(transitions.lines).containsExactlyInAnyOrder(
        "down FailOpen " + store, "down FailClosed " + store);

    // Redis back on the same port with its counts; once the probe interval has passed on the
    // gateway's clock (still inside the window), both policies count in Redis again.
    redis.restart();
    clock.advance(Duration.ofMillis(1_500));
    assertAdmitted(CLOSED_MODEL, 2); // 3 left in Redis before the outage
    assertAdmitted(CLOSED_MODEL, 1);
    assertAdmitted(OPEN_MODEL, 2); // Redis's count, not the fallback's 5
    assertAdmitted(CLOSED_MODEL, 0);
    assertAdmitted(OPEN_MODEL, 1);
    assertAdmitted(OPEN_MODEL, 0);
    for (String model : List.of(OPEN_MODEL, CLOSED_MODEL)) {
      HttpResponse<String> limited = chat(model);
      assertThat(limited.statusCode()).as(model).isEqualTo(429);
      assertThat(limited.headers().firstValue("retry-after")).as(model).hasValue("54"); // 10:00:06.5
      assertThat(limited.headers().firstValue("ratelimit-remaining")).as(model).hasValue("0");
    }
    assertThat(metric(gateway.admin("/metrics").body(), "aigis_ratelimit_store_up", store)).isEqualTo(1.0);
    assertThat(metric(gateway.admin("/metrics").body(), "aigis_ratelimit_store_fallbacks_total", store)).isEqualTo(6.0);
    // One line per transition and failure mode, not one per request.
    assertThat(transitions.lines).containsExactlyInAnyOrder(
        "down FailOpen " + store, "down FailClosed " + store, "up FailOpen " + store, "up FailClosed " + store);
  }

  static void assertAdmitted(String model, int remaining) throws Exception {
    HttpResponse<String> response = chat(model);
    assertThat(response.statusCode()).as("%s: %s", model, response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("ratelimit-limit")).as(model).hasValue("5");
    assertThat(response.headers().firstValue("ratelimit-remaining")).as(model).hasValue(Integer.toString(remaining));
  }

  static HttpResponse<String> chat(String model) {
    return gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("content-type", "application/json").header("authorization", "Bearer " + KEY)
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build());
  }

  static String code(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).path("error").path("code").asText();
  }

  /** The value of a Prometheus sample labelled {@code store="…"}; fails when there is none. */
  static double metric(String scrape, String name, String store) {
    Matcher sample = Pattern.compile("(?m)^" + name + "\\{[^}]*store=\"" + Pattern.quote(store) + "\"[^}]*} (\\S+)$")
        .matcher(scrape);
    assertThat(sample.find()).as("%s{store=%s} in\n%s", name, store, scrape).isTrue();
    return Double.parseDouble(sample.group(1));
  }

  /**
   * The store transitions {@link PolicyRuntime} logs, as {@code down <mode> <store>} and {@code up
   * <store>}: appended on the thread that logs them, before the request that caused them is answered.
   */
  static final class Transitions {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(PolicyRuntime.class);
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        Object[] args = event.getArgumentArray();
        String message = event.getMessage();
        if (message.contains("cannot be reached")) {
          lines.add("down " + args[2] + " " + args[0]); // store, cause, mode, what happens now
        } else if (message.contains("answers again")) {
          lines.add("up " + args[1] + " " + args[0]);
        }
      }
    };

    void open() {
      appender.start();
      logger.addAppender(appender);
    }

    void close() {
      logger.detachAppender(appender);
      appender.stop();
    }
  }
}
