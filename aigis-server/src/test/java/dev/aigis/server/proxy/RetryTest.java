package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.backend;
import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigis.core.processing.Scheduler;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.ManualClock;
import dev.aigis.testkit.ManualScheduler;
import dev.aigis.testkit.RecordedRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A route's GEP-1731 {@code retry}: retried statuses and failures before the response head, the
 * backoff and {@code Retry-After} on manual time, the hop header, and what is never retried.
 */
class RetryTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final ManualScheduler time = new ManualScheduler();
  private final ManualClock clock = ManualClock.at("2025-01-01T00:00:00Z");
  private final FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
  private FrontDoorFixture gateway;

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  static Scheduler timers(ManualScheduler time) {
    return (delay, task) -> {
      var scheduled = time.schedule(delay, task);
      return scheduled::cancel;
    };
  }

  /** One backend, one rule with the given retry (a YAML flow mapping). */
  private void start(String retry) throws Exception {
    gateway = new FrontDoorFixture(gateway() + backend("live", "OpenAI", upstream.port()) + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - backendRefs: [{group: aigis.dev, kind: AIBackend, name: live}]
            retry: %s
        """.formatted(retry), timers(time), clock);
  }

  private CompletableFuture<HttpResponse<String>> chat(String... headers) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return gateway.post("/v1/chat/completions", CHAT, headers);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** The next delay the retry asked for, past the client connection's header and body timers (60 s each). */
  static Duration backoff(ManualScheduler time) throws InterruptedException {
    while (true) {
      Duration delay = time.awaitDelay(Duration.ofSeconds(10));
      if (!delay.equals(Duration.ofSeconds(60))) {
        return delay;
      }
    }
  }

  static HttpResponse<String> done(CompletableFuture<HttpResponse<String>> response) throws Exception {
    return response.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRetriedStatusIsSentAgainAfterTheBackoffAndTheClientSeesOnlyTheSecondAnswer() throws Exception {
    start("{codes: [503], attempts: 3, backoff: 100ms}");
    upstream.enqueue(Behavior.ok().withStatus(503));
    upstream.enqueue(Behavior.ok().withReply("second time lucky"));

    var response = chat();
    assertThat(backoff(time)).as("full jitter, drawn at its maximum").isEqualTo(Duration.ofMillis(100));
    time.advance(Duration.ofMillis(100));

    HttpResponse<String> answer = done(response);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).at("/choices/0/message/content").asText()).isEqualTo("second time lucky");
    assertThat(upstream.requests()).extracting(r -> r.header("x-aigis-attempt")).containsExactly("1", "2");
    assertThat(upstream.requests()).extracting(RecordedRequest::bodyText).containsExactly(CHAT, CHAT);
    String metrics = gateway.scrape();
    assertThat(metrics).contains(
        "aigis_upstream_attempts_total{backend=\"default/live\",gateway=\"default/gw\",host=\"127.0.0.1\",route=\"default/models\"} 2.0",
        "aigis_upstream_retries_total{backend=\"default/live\",gateway=\"default/gw\",reason=\"503\",route=\"default/models\"} 1.0");
  }

  @Test
  void theBackoffDoublesWithEachAttempt() throws Exception {
    start("{codes: [503], attempts: 3, backoff: 100ms}");
    upstream.enqueue(Behavior.ok().withStatus(503));
    upstream.enqueue(Behavior.ok().withStatus(503));
    upstream.enqueue(Behavior.ok());

    var response = chat();
    assertThat(backoff(time)).isEqualTo(Duration.ofMillis(100));
    time.advance(Duration.ofMillis(100));
    assertThat(backoff(time)).isEqualTo(Duration.ofMillis(200));
    time.advance(Duration.ofMillis(200));

    assertThat(done(response).statusCode()).isEqualTo(200);
    assertThat(upstream.requests()).hasSize(3);
  }

  @Test
  void a429IsRetriedAfterItsRetryAfterInSeconds() throws Exception {
    start("{codes: [429], attempts: 2, backoff: 100ms}");
    upstream.enqueue(Behavior.ok().withStatus(429).withHeader("retry-after", "2"));
    upstream.enqueue(Behavior.ok());

    var response = chat();
    assertThat(backoff(time)).isEqualTo(Duration.ofSeconds(2));
    time.advance(Duration.ofSeconds(2));

    assertThat(done(response).statusCode()).isEqualTo(200);
    assertThat(upstream.requests()).hasSize(2);
  }

  @Test
  void aRetryAfterAsAnHttpDateIsWaitedUntil() throws Exception {
    start("{codes: [429], attempts: 2}");
    upstream.enqueue(Behavior.ok().withStatus(429).withHeader("retry-after", "Wed, 01 Jan 2025 00:00:05 GMT"));
    upstream.enqueue(Behavior.ok());

    var response = chat();
    assertThat(backoff(time)).isEqualTo(Duration.ofSeconds(5));
    time.advance(Duration.ofSeconds(5));

    assertThat(done(response).statusCode()).isEqualTo(200);
  }

  @Test
  void aRetryAfterLongerThanTheCapGoesToTheClient() throws Exception {
    start("{codes: [429], attempts: 3}");
    upstream.enqueue(Behavior.ok().withStatus(429).withHeader("retry-after", "120"));

    HttpResponse<String> answer = done(chat());

    assertThat(answer.statusCode()).isEqualTo(429);
    assertThat(upstream.requests()).hasSize(1);
    assertThat(time.delays()).containsOnly(Duration.ofSeconds(60));
  }

  @Test
  void aStatusNotListedIsNotRetried() throws Exception {
    start("{codes: [503], attempts: 3}");
    upstream.enqueue(Behavior.ok().withStatus(500));

    assertThat(done(chat()).statusCode()).isEqualTo(500);
    assertThat(upstream.requests()).hasSize(1);
  }

  @Test
  void aConnectionClosedBeforeTheHeadIsRetriedWithoutAnyCodeListed() throws Exception {
    start("{attempts: 2, backoff: 50ms}");
    upstream.enqueue(Behavior.ok().closeConnection());
    upstream.enqueue(Behavior.ok());

    var response = chat();
    assertThat(backoff(time)).isEqualTo(Duration.ofMillis(50));
    time.advance(Duration.ofMillis(50));

    assertThat(done(response).statusCode()).isEqualTo(200);
    assertThat(gateway.scrape()).contains(
        "aigis_upstream_retries_total{backend=\"default/live\",gateway=\"default/gw\",reason=\"upstream_unreachable\",route=\"default/models\"} 1.0");
  }

  @Test
  void aStreamIsNeverRetriedAfterItsFirstByte() throws Exception {
    start("{codes: [503], attempts: 3}");
    upstream.enqueue(Behavior.ok().truncatedStream(2));
    upstream.enqueue(Behavior.ok());

    HttpResponse<String> answer = done(CompletableFuture.supplyAsync(() -> {
      try {
        return gateway.post("/v1/chat/completions",
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).doesNotContain("[DONE]");
    assertThat(upstream.requests()).hasSize(1);
  }

  @Test
  void attemptsRunOutAndTheLastAnswerReachesTheClient() throws Exception {
    start("{codes: [503], attempts: 2, backoff: 10ms}");
    upstream.setDefault(Behavior.ok().withStatus(503));

    var response = chat();
    backoff(time);
    time.advance(Duration.ofMillis(10));

    assertThat(done(response).statusCode()).isEqualTo(503);
    assertThat(upstream.requests()).hasSize(2);
  }

  @Test
  void aRequestThatAlreadyCameThroughAGatewayIsNeverRetried() throws Exception {
    start("{codes: [503], attempts: 3}");
    upstream.enqueue(Behavior.ok().withStatus(503));

    HttpResponse<String> answer = done(chat("x-aigis-attempt", "1"));

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(upstream.requests()).hasSize(1);
    assertThat(upstream.lastRequest().header("x-aigis-attempt")).isEqualTo("1");
  }
}
