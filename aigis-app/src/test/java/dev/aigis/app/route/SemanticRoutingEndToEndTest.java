package dev.aigis.app.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Semantic routing end to end: a real gateway whose PreRouting SemanticRoute processor sends billing
 * questions to one fake OpenAI upstream, travel questions to another, and everything else to the
 * built-in echo model, with the chosen model written to the header the HTTPRoute matches and to the
 * body the upstream receives.
 */
class SemanticRoutingEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static FakeOpenAiUpstream billing;
  static FakeOpenAiUpstream travel;
  static GatewayFixture gateway;

  static String config(int billingPort, int travelPort) {
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
        metadata: {name: billing}
        spec: {schema: OpenAI, endpoint: {url: "http://127.0.0.1:%d"}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: travel}
        spec: {schema: OpenAI, endpoint: {url: "http://127.0.0.1:%d"}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: general}
        spec: {schema: OpenAI, endpoint: {builtin: Echo}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: billing-model}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: billing}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: travel-model}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: travel}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: general-model}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: general}]
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: PayloadProcessor
        metadata: {name: router}
        spec:
          targetRef: {kind: Gateway, name: gw}
          phase: PreRouting
          processors:
          - name: route
            type: SemanticRoute
            semanticRoute:
              default: general-model
              rewriteModel: true
              routes:
              - name: billing
                target: billing-model
                examples: ["what is my account balance", "I want to pay my credit card bill",
                  "why was I charged twice this month", "send me my latest invoice", "how do I update my payment method"]
              - name: travel
                target: travel-model
                examples: ["book a flight to paris", "find me a hotel in rome for two nights",
                  "what is the baggage allowance on my flight", "I need a rental car at the airport",
                  "cancel my train ticket to berlin"]
              outOfScope:
                examples: ["tell me a joke", "what is the meaning of life"]
        """.formatted(billingPort, travelPort);
  }

  @BeforeAll
  static void start() {
    billing = FakeOpenAiUpstream.start();
    travel = FakeOpenAiUpstream.start();
    gateway = GatewayFixture.start(config(billing.port(), travel.port()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    travel.close();
    billing.close();
  }

  @AfterEach
  void reset() {
    billing.reset();
    travel.reset();
  }

  static String chat(String text) {
    return "{\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":\"You are helpful.\"},"
        + "{\"role\":\"user\",\"content\":" + quote(text) + "}]}";
  }

  static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aBillingQuestionGoesToTheBillingModelWithTheModelRewrittenAndAReason() throws Exception {
    HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("why did you charge my card twice"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-aigis-route-reason").orElseThrow())
        .matches("route=billing; confidence=0\\.\\d\\d");
    assertThat(billing.requests()).hasSize(1);
    assertThat(travel.requests()).isEmpty();
    RecordedRequest upstream = billing.lastRequest();
    assertThat(upstream.json().path("model").asText()).isEqualTo("billing-model");
    assertThat(upstream.header("x-aigis-route-reason")).isEqualTo(response.headers().firstValue("x-aigis-route-reason").orElseThrow());
    assertThat(upstream.json().path("messages").get(1).path("content").asText()).isEqualTo("why did you charge my card twice");
  }

  @Test
  void aTravelQuestionFromAnAnthropicClientGoesToTheTravelModel() {
    String body = "{\"model\":\"auto\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":"
        + quote("please book me a flight to rome") + "}]}";
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
        .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-aigis-route-reason").orElseThrow()).startsWith("route=travel; ");
    assertThat(travel.requests()).hasSize(1);
    assertThat(billing.requests()).isEmpty();
    assertThat(travel.lastRequest().json().path("model").asText()).isEqualTo("travel-model");
  }

  @Test
  void anUnrelatedQuestionGoesToTheDefaultModel() throws Exception {
    HttpResponse<String> response = gateway.post("/v1/chat/completions",
        chat("what is the boiling point of tungsten in kelvin"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-aigis-route-reason").orElseThrow())
        .matches("default; route=(billing|travel); confidence=0\\.\\d\\d below 0\\.44|out_of_scope; confidence=0\\.\\d\\d");
    assertThat(billing.requests()).isEmpty();
    assertThat(travel.requests()).isEmpty();
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.path("model").asText()).isEqualTo("general-model");
  }

  @Test
  void anOutOfScopeRequestGoesToTheDefaultAndAClientsOwnReasonHeaderIsReplaced() {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(
            URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("content-type", "application/json").header("x-aigis-route-reason", "route=billing; confidence=1.00")
        .POST(HttpRequest.BodyPublishers.ofString(chat("tell me a funny joke"))).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().allValues("x-aigis-route-reason")).singleElement().asString()
        .startsWith("out_of_scope; confidence=");
    assertThat(billing.requests()).isEmpty();
  }

  @Test
  void decisionsAreCountedByRouteAndConfidence() {
    gateway.post("/v1/chat/completions", chat("send me my latest invoice please"));

    String metrics = gateway.admin("/metrics").body();
    assertThat(metrics).contains(
        "aigis_semantic_route_decisions_total{confidence=\"high\",policy=\"default/router/route\",route=\"billing\"}");
    assertThat(metrics).contains("aigis_semantic_route_duration_seconds_count{policy=\"default/router/route\"}");
  }

  @Test
  void theDecisionIsInTheAccessLogAndTheAuditRecordButTheQuestionIsNot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("audit.jsonl");
    try (var access = dev.aigis.app.AccessLogTap.open();
        var audit = dev.aigis.server.audit.AuditLog.builder(file).build();
        var audited = GatewayFixture.start(config(billing.port(), travel.port()),
            dev.aigis.server.ServerOptions.defaults().withAdminPort(-1).withTrafficHost("127.0.0.1"),
            java.util.Map.of(), java.time.InstantSource.system(), audit)) {
      HttpResponse<String> response = audited.post("/v1/chat/completions", chat("why did you charge my card twice"));
      assertThat(response.statusCode()).isEqualTo(200);
      String reason = response.headers().firstValue("x-aigis-route-reason").orElseThrow();
      String line = access.await("route_reason", java.time.Duration.ofSeconds(10));
      assertThat(line).contains("\"route_reason\":\"" + reason + "\"").doesNotContain("charge my card");
    }
    // Closed in reverse order: the gateway has finished its exchanges before the audit log flushes.
    com.fasterxml.jackson.databind.JsonNode record = JSON.readTree(java.nio.file.Files.readAllLines(file).getFirst());
    com.fasterxml.jackson.databind.JsonNode decision = record.get("semanticRoute");
    assertThat(decision.get("route").asText()).isEqualTo("billing");
    assertThat(decision.get("target").asText()).isEqualTo("billing-model");
    assertThat(decision.get("reason").asText()).startsWith("route=billing; confidence=");
    assertThat(decision.get("confidence").asDouble()).isBetween(0.0, 1.0);
    assertThat(record.toString()).doesNotContain("charge my card");
  }
}