package dev.aigis.app.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Response processors see translated answers in the client's format, plain and streamed. */
class TranslatedResponseProcessingTest {

  static FakeOpenAiUpstream openai;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    openai = FakeOpenAiUpstream.start();
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
          endpoint: {url: "%s"}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o-mini}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: tokens}
        spec:
          targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: gw}
          phase: PostRouting
          processors:
          - name: usage-header
            type: InProcess
            inProcess:
              response:
                setHeaders:
                - {name: x-status, value: "string(response.status)"}
                - {name: x-total-tokens, value: "string(response.usage.total)"}
        """.formatted(openai.baseUrl()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openai.close();
  }

  @Test
  void plainAnthropicAnswerCarriesTheProcessorsHeadersWithUsage() {
    openai.enqueue(Behavior.ok().withReply("Bonjour").withUsage(11, 2));
    HttpResponse<String> response = gateway.post("/v1/messages",
        "{\"model\":\"gpt-4o-mini\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-status")).hasValue("200");
    assertThat(response.headers().firstValue("x-total-tokens")).hasValue("13");
    assertThat(response.body()).startsWith("{\"id\":\"msg_").contains("\"text\":\"Bonjour\"");
  }

  @Test
  void streamedAnthropicAnswerPassesThroughTheProcessorsEventByEvent() {
    openai.enqueue(Behavior.ok().withReply("a b c").withTokens(3));
    HttpResponse<String> response = gateway.post("/v1/messages",
        "{\"model\":\"gpt-4o-mini\",\"max_tokens\":20,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-status")).hasValue("200");
    assertThat(response.body()).startsWith("event: message_start\n")
        .contains("\"text\":\"a\"").contains("\"text\":\" b\"").contains("\"text\":\" c\"")
        .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }
}
