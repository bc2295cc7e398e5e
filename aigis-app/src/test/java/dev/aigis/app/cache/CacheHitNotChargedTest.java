package dev.aigis.app.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.app.GatewayFixture;
import dev.aigis.server.ServerOptions;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cache hit keeps the usage it had but is not charged to token limits: a Gateway-wide TOKENS
 * limit of 80 per minute, answers that report 50 tokens. Charged, the second hit would already be
 * refused; uncharged, three hits pass and the bucket still admits exactly one more upstream call.
 * The clock is fixed, so the window never rolls over during the test.
 */
class CacheHitNotChargedTest {

  static FakeOpenAiUpstream openai;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    openai = FakeOpenAiUpstream.start();
    openai.setDefault(Behavior.ok().withReply("Paris is the capital of France.").withUsage(10, 40));
    gateway = GatewayFixture.start("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: openai}
        spec:
          schema: OpenAI
          endpoint: {url: "http://127.0.0.1:%d"}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: chat}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: tokens}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          rules:
          - name: tokens
            limit: {volumeUnits: TOKENS, volume: 80, timeUnit: Minute}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: cache}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: chat}
          phase: PostRouting
          processors:
          - name: answers
            type: ResponseCache
            timeout: 10s
            responseCache: {}
        """.formatted(openai.port()),
        ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1"), Map.of(),
        InstantSource.fixed(Instant.parse("2026-01-01T00:00:10Z")));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openai.close();
  }

  static String ask(String question) {
    return "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"" + question
        + "\"}]}";
  }

  @Test
  void hitsPassWithTheirUsageAndLeaveTheTokenBucketAsTheMissLeftIt() {
    HttpResponse<String> miss = gateway.andStored(
        () -> gateway.post("/v1/chat/completions", ask("What is the capital of France?")));
    assertThat(miss.statusCode()).isEqualTo(200);
    assertThat(miss.headers().firstValue("x-aigis-cache")).contains("miss");

    for (String paraphrase : new String[] {"Tell me, what is the capital of France?",
        "What is the capital city of France?", "What is the capital of France?"}) {
      HttpResponse<String> hit = gateway.post("/v1/chat/completions", ask(paraphrase));
      assertThat(hit.statusCode()).as(paraphrase).isEqualTo(200);
      assertThat(hit.headers().firstValue("x-aigis-cache")).contains("hit");
      assertThat(hit.body()).contains("\"total_tokens\":50");
    }
    assertThat(openai.requests()).hasSize(1);

    // 50 of 80 tokens spent: one more upstream call is admitted (and spends 50), the next is refused.
    HttpResponse<String> other = gateway.post("/v1/chat/completions", ask("How do I reset my password?"));
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue("x-aigis-cache")).contains("miss");
    HttpResponse<String> refused = gateway.post("/v1/chat/completions", ask("How do I delete my account?"));
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(openai.requests()).hasSize(2);
  }
}
