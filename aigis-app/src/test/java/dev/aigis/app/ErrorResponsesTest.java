package dev.aigis.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.server.ServerOptions;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every refusal and upstream failure, with its exact status and OpenAI-format body. */
class ErrorResponsesTest {

  static FakeOpenAiUpstream upstream;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    upstream = FakeOpenAiUpstream.start();
    int closedPort = GatewayFixture.freePort();
    String yaml = Configs.openAiUpstream(upstream.port()) + """
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: down}
        spec:
          schema: OpenAI
          endpoint: {url: "http://127.0.0.1:%d"}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: broken}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: model-on-a-down-server}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: down}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: model-without-backend}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: fake, weight: 0}]
        """.formatted(closedPort);
    gateway = GatewayFixture.start(yaml,
        ServerOptions.defaults().withAdminPort(0).withTrafficHost("127.0.0.1").withMaxRequestBodyBytes(64 * 1024), Map.of());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void clear() {
    upstream.reset();
  }

  @Test
  void malformedJsonIs400WithTheParsePosition() {
    HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\": \"gpt-4o-mini\",\n \"messages\": [}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo("{\"error\":{\"message\":\"Invalid JSON in request body at line 2, column 15: "
        + "Unexpected close marker '}': expected ']'\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_json\"}}");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void bodyThatIsNotAnObjectIs400() {
    HttpResponse<String> response = gateway.post("/v1/chat/completions", "[1,2]");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(
        "{\"error\":{\"message\":\"Request body must be a JSON object\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_request\"}}");
  }

  @Test
  void missingModelIs400() {
    HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"messages\":[]}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(
        "{\"error\":{\"message\":\"You must provide a model parameter\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"invalid_request\"}}");
  }

  @Test
  void unknownModelIs404NamingTheModel() {
    HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"gpt-unknown\",\"messages\":[]}");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo(
        "{\"error\":{\"message\":\"The model `gpt-unknown` does not exist or is not served by this gateway\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}");
  }

  @Test
  void pathWithoutRouteIs404() {
    HttpResponse<String> response = gateway.get("/v2/other");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo(
        "{\"error\":{\"message\":\"No route matches GET /v2/other\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"route_not_found\"}}");
  }

  @Test
  void oversizeBodyIs413WithoutReachingUpstream() {
    String big = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70 * 1024) + "\"}]}";
    HttpResponse<String> response = gateway.post("/v1/chat/completions", big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).isEqualTo(
        "{\"error\":{\"message\":\"Request body exceeds the limit of 65536 bytes\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"request_too_large\"}}");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void unreachableUpstreamIs502() {
    HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"model-on-a-down-server\",\"messages\":[]}");
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).isEqualTo(
        "{\"error\":{\"message\":\"Upstream default/down is unreachable\",\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_unreachable\"}}");
  }

  @Test
  void upstreamThatNeverAnswersIs504AfterTheResponseTimeout() {
    upstream.enqueue(Behavior.ok().hang());
    HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[]}");
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.body()).isEqualTo(
        "{\"error\":{\"message\":\"Upstream default/fake did not answer within 2000 ms\",\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_timeout\"}}");
  }

  @Test
  void routeWhoseBackendsAllHaveWeightZeroIs500() {
    HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"model-without-backend\",\"messages\":[]}");
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo(
        "{\"error\":{\"message\":\"Route default/broken has no usable backend\",\"type\":\"server_error\",\"param\":null,\"code\":\"no_backend\"}}");
  }

  @Test
  void upstreamErrorStatusAndBodyReachTheClient() {
    String error = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
    upstream.enqueue(Behavior.ok().withStatus(429, error));
    HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[]}");
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.body()).isEqualTo(error);
  }

  @Test
  void truncatedStreamEndsWithAnErrorEvent() {
    upstream.enqueue(Behavior.ok().withReply("a b c d").withTokens(4).truncatedStream(2));
    HttpResponse<String> response = gateway.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).doesNotContain("[DONE]");
    assertThat(response.body()).endsWith(
        "data: {\"error\":{\"message\":\"Upstream default/fake sent an invalid response: connection lost mid-stream\",\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_invalid_response\"}}\n\n");
  }

  /** Passthrough means passthrough: the broken answer reaches the client as it came, and is counted. */
  @Test
  void aMalformedStreamChunkPassesOnUnchangedAndIsCounted() {
    upstream.enqueue(Behavior.ok().malformedStream());
    HttpResponse<String> response = gateway.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).endsWith("data: {\"id\":\"broken\",\"choices\":[{\"delta\":\n\n")
        .doesNotContain("upstream_invalid_response");
    assertThat(gateway.admin("/metrics").body())
        .contains("aigis_upstream_protocol_violations_total{backend=\"default/fake\"} 1.0");
  }

  @Test
  void otherV1PathsPassThroughWithRouteFilters() {
    HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/files?purpose=batch"))
        .header("authorization", "Bearer sk-client").GET().build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-served-by")).hasValue("aigis");
    var seen = upstream.lastRequest();
    assertThat(seen.path()).isEqualTo("/v1/files?purpose=batch");
    assertThat(seen.header("x-team")).isEqualTo("platform");
    assertThat(seen.header("authorization")).isEqualTo("Bearer sk-upstream-secret");
  }
}
