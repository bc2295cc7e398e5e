package dev.aigis.server.proxy;

import static dev.aigis.server.proxy.FrontDoorFixture.backend;
import static dev.aigis.server.proxy.FrontDoorFixture.gateway;
import static dev.aigis.server.proxy.RetryTest.CHAT;
import static dev.aigis.server.proxy.RetryTest.JSON;
import static dev.aigis.server.proxy.RetryTest.backoff;
import static dev.aigis.server.proxy.RetryTest.done;
import static dev.aigis.server.proxy.RetryTest.timers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeAnthropicUpstream;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.ManualClock;
import dev.aigis.testkit.ManualScheduler;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failover by backendRef {@code priority}, across schemas: an OpenAI client whose priority-0
 * OpenAI backend fails is served by the priority-1 Anthropic one, translated for that attempt; and
 * a backend whose circuit is open, or whose concurrency cap is full, is passed over or refused.
 */
class FailoverTest {

  private final ManualScheduler time = new ManualScheduler();
  private final ManualClock clock = ManualClock.at("2025-01-01T00:00:00Z");
  private final FakeOpenAiUpstream openAi = FakeOpenAiUpstream.start();
  private final FakeAnthropicUpstream anthropic = FakeAnthropicUpstream.start("sk-claude");
  private FrontDoorFixture gateway;

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    openAi.close();
    anthropic.close();
  }

  private void start(String openAiSpec, String retry) throws Exception {
    gateway = new FrontDoorFixture(gateway() + backend("openai", "OpenAI", openAi.port()) + openAiSpec
        + backend("claude", "Anthropic", anthropic.port()) + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - backendRefs:
            - {group: aigis.dev, kind: AIBackend, name: openai, priority: 0}
            - {group: aigis.dev, kind: AIBackend, name: claude, priority: 1}
            retry: %s
        """.formatted(retry), timers(time), clock);
  }

  private CompletableFuture<HttpResponse<String>> chat() {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return gateway.post("/v1/chat/completions", CHAT);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void aProviderThatAlways503sIsFailedOverToTheNextPriorityInAnotherSchema() throws Exception {
    start("", "{codes: [503], attempts: 3, backoff: 100ms}");
    openAi.setDefault(Behavior.ok().withStatus(503));
    anthropic.script(FakeAnthropicUpstream.Reply.text("Served by Claude"));

    var response = chat();
    assertThat(backoff(time)).isEqualTo(Duration.ofMillis(100));
    time.advance(Duration.ofMillis(100));
    HttpResponse<String> answer = done(response);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).at("/object").asText()).isEqualTo("chat.completion");
    assertThat(JSON.readTree(answer.body()).at("/choices/0/message/content").asText()).isEqualTo("Served by Claude");
    assertThat(answer.headers().firstValue("x-aigis-backend")).hasValue("default/claude");
    assertThat(openAi.requests()).hasSize(1);
    assertThat(anthropic.requests()).hasSize(1);
    assertThat(anthropic.lastRequest().header("x-api-key")).isEqualTo("sk-claude");
    assertThat(anthropic.lastRequest().header("x-aigis-attempt")).isEqualTo("2");
    assertThat(gateway.scrape()).contains(
        "aigis_upstream_failovers_total{from=\"default/openai\",gateway=\"default/gw\",route=\"default/models\",to=\"default/claude\"} 1.0",
        "aigis_upstream_attempts_total{backend=\"default/claude\",gateway=\"default/gw\",host=\"127.0.0.1\",route=\"default/models\"} 1.0");
  }

  @Test
  void withoutFailuresOnlyTheLowestPriorityIsUsed() throws Exception {
    start("", "{codes: [503], attempts: 3}");

    for (int i = 0; i < 5; i++) {
      assertThat(done(chat()).statusCode()).isEqualTo(200);
    }

    assertThat(openAi.requests()).hasSize(5);
    assertThat(anthropic.requests()).isEmpty();
  }

  @Test
  void anOpenCircuitSendsRequestsToTheNextPriorityUntilAHalfOpenProbeClosesIt() throws Exception {
    start("""
          circuitBreaker: {consecutiveFailures: 2, openFor: 30s}
        """, "{codes: [503], attempts: 1}");
    openAi.enqueue(Behavior.ok().withStatus(503));
    openAi.enqueue(Behavior.ok().withStatus(503));

    assertThat(done(chat()).statusCode()).isEqualTo(503);
    assertThat(done(chat()).statusCode()).isEqualTo(503);
    assertThat(gateway.scrape()).contains("aigis_backend_circuit_state{backend=\"default/openai\"} 1.0");
    assertThat(gateway.backendsJson()).contains("{\"backend\":\"default/openai\",\"circuit\":\"open\"");

    HttpResponse<String> ejected = done(chat());
    assertThat(ejected.headers().firstValue("x-aigis-backend")).hasValue("default/claude");
    assertThat(openAi.requests()).hasSize(2);

    clock.advance(Duration.ofSeconds(30)); // the cool-down ends: one probe goes through, succeeds, and closes it
    HttpResponse<String> probe = done(chat());
    assertThat(probe.headers().firstValue("x-aigis-backend")).hasValue("default/openai");
    assertThat(gateway.scrape()).contains("aigis_backend_circuit_state{backend=\"default/openai\"} 0.0");
    assertThat(openAi.requests()).hasSize(3);
  }

  @Test
  void aFailedHalfOpenProbeOpensTheCircuitAgain() throws Exception {
    start("""
          circuitBreaker: {consecutiveFailures: 1, openFor: 10s}
        """, "{codes: [503], attempts: 1}");
    openAi.setDefault(Behavior.ok().withStatus(503));

    assertThat(done(chat()).statusCode()).isEqualTo(503);
    clock.advance(Duration.ofSeconds(10));
    assertThat(done(chat()).headers().firstValue("x-aigis-backend")).hasValue("default/openai");

    assertThat(gateway.scrape()).contains("aigis_backend_circuit_state{backend=\"default/openai\"} 1.0");
    assertThat(done(chat()).headers().firstValue("x-aigis-backend")).hasValue("default/claude");
  }

  @Test
  void aFullBackendIsA503InTheCallersFormatWhenNothingIsLeftToFailOverTo() throws Exception {
    start("""
          maxConcurrentRequests: 1
        """, "{attempts: 1}");
    openAi.enqueue(Behavior.ok().hang());

    var first = chat();
    openAi.awaitRequest(Duration.ofSeconds(10));
    HttpResponse<String> second = done(chat());

    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(second.body()).at("/error/code").asText()).isEqualTo("backend_busy");
    assertThat(JSON.readTree(second.body()).at("/error/message").asText()).contains("default/openai", "1 concurrent");
    assertThat(openAi.requests()).hasSize(1);
    assertThat(gateway.scrape()).contains(
        "aigis_backend_rejections_total{backend=\"default/openai\",reason=\"concurrency_limit\"} 1.0");
    first.cancel(true);
  }

  @Test
  void aFullBackendIsFailedOverWhenTheRouteRetries() throws Exception {
    start("""
          maxConcurrentRequests: 1
        """, "{attempts: 2, backoff: 10ms}");
    openAi.enqueue(Behavior.ok().hang());

    var first = chat();
    openAi.awaitRequest(Duration.ofSeconds(10));
    var second = chat();
    backoff(time);
    time.advance(Duration.ofMillis(10));

    assertThat(done(second).headers().firstValue("x-aigis-backend")).hasValue("default/claude");
    first.cancel(true);
  }
}
