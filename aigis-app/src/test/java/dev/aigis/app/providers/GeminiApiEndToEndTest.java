package dev.aigis.app.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigis.app.GatewayFixture;
import dev.aigis.core.identity.ApiKeys;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeAnthropicUpstream;
import dev.aigis.testkit.FakeGeminiUpstream;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.RecordedRequest;
import dev.aigis.testkit.TestServiceAccount;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A raw HTTP Gemini API client (as Google's SDKs speak it) through the gateway: translated to an
 * OpenAI-schema and an Anthropic-schema fake, native to the Google AI fake (body byte for byte) and
 * to the Vertex AI fake (publisher path, bearer token). Every request carries a gateway API key,
 * in {@code x-goog-api-key} or {@code ?key=}, which must never reach an upstream.
 */
class GeminiApiEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = ApiKeys.generate(new SecureRandom());

  static FakeOpenAiUpstream openai;
  static FakeAnthropicUpstream anthropic;
  static FakeGeminiUpstream gemini;
  static FakeGeminiUpstream vertex;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    openai = FakeOpenAiUpstream.start();
    anthropic = FakeAnthropicUpstream.start("sk-ant-upstream");
    gemini = FakeGeminiUpstream.startGemini("AIza-upstream");
    TestServiceAccount account = TestServiceAccount.generate();
    vertex = FakeGeminiUpstream.startVertex(account);
    String keyJson = account.keyJson(vertex.tokenUrl()).replace("\\", "\\\\").replace("\"", "\\\"");
    gateway = GatewayFixture.start("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: upstream}
        stringData:
          openai: sk-openai-upstream
          anthropic: sk-ant-upstream
          google: AIza-upstream
          sa.json: "%s"
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: aigis-key-alice}
        type: aigis.dev/api-key
        stringData: {name: alice, team: a, sha256: %s}
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
        kind: AIBackend
        metadata: {name: openai}
        spec:
          schema: OpenAI
          endpoint: {url: "%s"}
          credentials: {secretRef: {name: upstream, key: openai}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: anthropic}
        spec:
          schema: Anthropic
          endpoint: {url: "%s"}
          credentials: {secretRef: {name: upstream, key: anthropic}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: gemini}
        spec:
          schema: Gemini
          endpoint: {url: "%s"}
          credentials: {secretRef: {name: upstream, key: google}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: vertex}
        spec:
          schema: GCPVertexAI
          endpoint: {url: "%s"}
          vertex: {project: my-project, location: us-central1}
          credentials: {secretRef: {name: upstream, key: sa.json}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: echo}
        spec:
          schema: OpenAI
          endpoint: {builtin: Echo}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-sonnet-4-5}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gemini-2.5-flash}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: gemini}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gemini-2.5-pro}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: vertex}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: aigis-echo}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]
        """.formatted(keyJson, ApiKeys.sha256Hex(KEY), openai.baseUrl(), anthropic.baseUrl(), gemini.baseUrl(),
        vertex.baseUrl()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openai.close();
    anthropic.close();
    gemini.close();
    vertex.close();
  }

  @BeforeEach
  void clear() {
    openai.reset();
    anthropic.reset();
    gemini.reset();
    vertex.reset();
  }

  // ---- translated: OpenAI and Anthropic backends ----

  @Test
  void plainAnswerFromTheOpenAiBackend() throws Exception {
    openai.enqueue(Behavior.ok().withReply("Hello from OpenAI").withUsage(12, 4));

    HttpResponse<String> response = post("/v1beta/models/gpt-4o:generateContent", null, """
        {"systemInstruction": {"parts": [{"text": "Be brief."}]},
         "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
         "generationConfig": {"maxOutputTokens": 50, "temperature": 0.2, "topK": 40}}""");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = JSON.readTree(response.body());
    JsonNode candidate = answer.path("candidates").path(0);
    assertThat(candidate.path("content").path("parts").path(0).path("text").asText()).isEqualTo("Hello from OpenAI");
    assertThat(candidate.path("content").path("role").asText()).isEqualTo("model");
    assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
    assertThat(answer.path("usageMetadata").toString())
        .isEqualTo("{\"promptTokenCount\":12,\"candidatesTokenCount\":4,\"totalTokenCount\":16}");
    JsonNode sent = openai.lastRequest().json();
    assertThat(sent.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(sent.path("messages").toString()).isEqualTo(
        "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"hi\"}]");
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(50);
    assertThat(sent.has("top_k")).isFalse();
    assertThat(openai.lastRequest().header("authorization")).isEqualTo("Bearer sk-openai-upstream");
    assertThat(openai.lastRequest().header("x-goog-api-key")).isNull();
  }

  @Test
  void streamedAnswerFromTheAnthropicBackendWithTheKeyInTheQuery() throws Exception {
    anthropic.script(FakeAnthropicUpstream.Reply.text("Hello from Claude").withUsage(9, 3));

    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
            + "/v1beta/models/claude-sonnet-4-5:streamGenerateContent?alt=sse&key=" + KEY))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("""
            {"contents": [{"role": "user", "parts": [{"text": "hi"}]}],
             "generationConfig": {"maxOutputTokens": 64}}""")).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    List<JsonNode> events = events(response.body());
    StringBuilder text = new StringBuilder();
    for (JsonNode event : events.subList(0, events.size() - 1)) {
      text.append(event.path("candidates").path(0).path("content").path("parts").path(0).path("text").asText());
      assertThat(event.path("candidates").path(0).has("finishReason")).isFalse();
    }
    assertThat(text.toString()).isEqualTo("Hello from Claude");
    JsonNode last = events.getLast();
    assertThat(last.path("candidates").path(0).path("finishReason").asText()).isEqualTo("STOP");
    assertThat(last.path("usageMetadata").toString())
        .isEqualTo("{\"promptTokenCount\":9,\"candidatesTokenCount\":3,\"totalTokenCount\":12}");
    RecordedRequest sent = anthropic.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.json().path("stream").asBoolean()).isTrue();
    assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-upstream");
    assertThat(sent.header("x-goog-api-key")).isNull();
  }

  @Test
  void functionCallingRoundTripThroughTheOpenAiBackend() throws Exception {
    openai.enqueue(Behavior.ok().withToolCalls(new Behavior.ToolCall("call_abc", "get_weather", "{\"city\":\"Paris\"}")));
    String tools = """
        "tools": [{"functionDeclarations": [{"name": "get_weather", "description": "Weather of a city",
          "parameters": {"type": "OBJECT", "properties": {"city": {"type": "STRING"}}, "required": ["city"]}}]}]""";

    HttpResponse<String> first = post("/v1beta/models/gpt-4o:generateContent", null, """
        {"contents": [{"role": "user", "parts": [{"text": "Weather in Paris?"}]}], %s}""".formatted(tools));

    assertThat(first.statusCode()).isEqualTo(200);
    JsonNode call = JSON.readTree(first.body()).path("candidates").path(0).path("content").path("parts").path(0);
    assertThat(call.toString())
        .isEqualTo("{\"functionCall\":{\"id\":\"call_abc\",\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}}");
    assertThat(openai.lastRequest().json().path("tools").toString()).isEqualTo("[{\"type\":\"function\",\"function\":"
        + "{\"name\":\"get_weather\",\"description\":\"Weather of a city\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]");

    openai.enqueue(Behavior.ok().withReply("Sunny"));
    HttpResponse<String> second = post("/v1beta/models/gpt-4o:generateContent", null, """
        {"contents": [
          {"role": "user", "parts": [{"text": "Weather in Paris?"}]},
          {"role": "model", "parts": [%s]},
          {"role": "user", "parts": [{"functionResponse": {"id": "call_abc", "name": "get_weather",
            "response": {"forecast": "sunny"}}}]}], %s}""".formatted(call.toString(), tools));

    assertThat(second.statusCode()).isEqualTo(200);
    JsonNode messages = openai.lastRequest().json().path("messages");
    assertThat(messages.path(1).path("tool_calls").path(0).path("id").asText()).isEqualTo("call_abc");
    assertThat(messages.path(2).toString())
        .isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"call_abc\",\"content\":\"{\\\"forecast\\\":\\\"sunny\\\"}\"}");
  }

  @Test
  void streamedFunctionCallFromTheOpenAiBackendArrivesWholeInTheLastEvent() throws Exception {
    openai.enqueue(Behavior.ok().withToolCalls(new Behavior.ToolCall("call_s", "get_weather", "{\"city\":\"Rome\"}")));

    HttpResponse<String> response = post("/v1beta/models/gpt-4o:streamGenerateContent?alt=sse", null, """
        {"contents": [{"role": "user", "parts": [{"text": "Weather in Rome?"}]}],
         "tools": [{"functionDeclarations": [{"name": "get_weather",
           "parameters": {"type": "OBJECT", "properties": {"city": {"type": "STRING"}}}}]}]}""");

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> events = events(response.body());
    JsonNode last = events.getLast().path("candidates").path(0);
    assertThat(last.path("content").path("parts").toString())
        .isEqualTo("[{\"functionCall\":{\"id\":\"call_s\",\"name\":\"get_weather\",\"args\":{\"city\":\"Rome\"}}}]");
    assertThat(last.path("finishReason").asText()).isEqualTo("STOP");
    assertThat(events.getLast().has("usageMetadata")).isTrue();
    assertThat(openai.lastRequest().json().path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void functionCallingThroughTheAnthropicBackend() throws Exception {
    anthropic.script(FakeAnthropicUpstream.Reply.text("").withToolCall("toolu_1", "get_weather", "{\"city\":\"Oslo\"}"));

    HttpResponse<String> response = post("/v1beta/models/claude-sonnet-4-5:generateContent", null, """
        {"contents": [{"role": "user", "parts": [{"text": "Weather in Oslo?"}]}],
         "tools": [{"functionDeclarations": [{"name": "get_weather",
           "parameters": {"type": "OBJECT", "properties": {"city": {"type": "STRING"}}}}]}],
         "generationConfig": {"maxOutputTokens": 100}}""");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode parts = JSON.readTree(response.body()).path("candidates").path(0).path("content").path("parts");
    assertThat(parts.toString())
        .isEqualTo("[{\"functionCall\":{\"id\":\"toolu_1\",\"name\":\"get_weather\",\"args\":{\"city\":\"Oslo\"}}}]");
    JsonNode sent = anthropic.lastRequest().json();
    assertThat(sent.path("tools").path(0).path("name").asText()).isEqualTo("get_weather");
    assertThat(sent.path("tools").path(0).path("input_schema").path("type").asText()).isEqualTo("object");
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(100);
  }

  @Test
  void countTokensIsCountedByTheGatewayForOtherSchemas() throws Exception {
    HttpResponse<String> response = post("/v1beta/models/gpt-4o:countTokens", null, """
        {"contents": [{"role": "user", "parts": [{"text": "Hello there"}]}]}""");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"totalTokens\":2}");
    assertThat(openai.requests()).isEmpty();
  }

  // ---- native: Google AI and Vertex AI ----

  @Test
  void googleAiGetsTheBodyUntouchedWithItsOwnKeyAndNoGatewayKey() throws Exception {
    gemini.script(FakeGeminiUpstream.Reply.text("Hello from Gemini"));
    String body = "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}],"
        + " \"safetySettings\": [], \"generationConfig\": {\"topK\": 3}}";

    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
            + "/v1beta/models/gemini-2.5-flash:generateContent?key=" + KEY))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("candidates").path(0).path("content").path("parts").path(0)
        .path("text").asText()).isEqualTo("Hello from Gemini");
    RecordedRequest sent = gemini.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(new String(sent.body(), StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(sent.headers().get("x-goog-api-key")).containsExactly("AIza-upstream");
  }

  @Test
  void vertexGetsTheBodyAtItsPublisherPathWithABearerToken() throws Exception {
    vertex.script(FakeGeminiUpstream.Reply.text("Hello from Vertex"));
    String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";

    HttpResponse<String> response = post("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", KEY, body);

    assertThat(response.statusCode()).isEqualTo(200);
    StringBuilder text = new StringBuilder();
    for (JsonNode event : events(response.body())) {
      text.append(event.path("candidates").path(0).path("content").path("parts").path(0).path("text").asText());
    }
    assertThat(text.toString()).isEqualTo("Hello from Vertex");
    RecordedRequest sent = vertex.lastRequest();
    assertThat(sent.path()).isEqualTo(
        "/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
    assertThat(new String(sent.body(), StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(sent.header("authorization")).startsWith("Bearer ya29.fake-");
    assertThat(sent.header("x-goog-api-key")).isNull();
  }

  @Test
  void theEchoModelAnswersInGeminisFormatPlainAndStreamed() throws Exception {
    String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hello gemini\"}]}]}";

    HttpResponse<String> plain = post("/v1beta/models/aigis-echo:generateContent", null, body);
    HttpResponse<String> streamed = post("/v1beta/models/aigis-echo:streamGenerateContent?alt=sse", null, body);

    assertThat(plain.statusCode()).isEqualTo(200);
    JsonNode candidate = JSON.readTree(plain.body()).path("candidates").path(0);
    assertThat(candidate.path("content").path("parts").path(0).path("text").asText()).contains("hello gemini");
    assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
    assertThat(streamed.statusCode()).isEqualTo(200);
    List<JsonNode> events = events(streamed.body());
    StringBuilder text = new StringBuilder();
    events.forEach(e -> text.append(e.path("candidates").path(0).path("content").path("parts").path(0).path("text")
        .asText()));
    assertThat(text.toString()).contains("hello gemini");
    assertThat(events.getLast().path("candidates").path(0).path("finishReason").asText()).isEqualTo("STOP");
  }

  @Test
  void withoutAnAccessPolicyTheClientsQueryKeyStillNeverGoesUpstream() throws Exception {
    try (GatewayFixture open = GatewayFixture.start("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: aigis
          listeners: [{name: http, port: ${PORT}, protocol: HTTP}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: upstream}
        stringData: {google: AIza-upstream}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: gemini}
        spec:
          schema: Gemini
          endpoint: {url: "%s"}
          credentials: {secretRef: {name: upstream, key: google}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: models}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - backendRefs: [{group: aigis.dev, kind: AIBackend, name: gemini}]
        """.formatted(gemini.baseUrl()))) {
      HttpResponse<String> response = open.send(HttpRequest.newBuilder(URI.create(open.baseUrl()
              + "/v1beta/models/gemini-2.5-flash:streamGenerateContent?key=AIza-clients-own&alt=sse"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}")).build());

      assertThat(response.statusCode()).isEqualTo(200);
      RecordedRequest sent = gemini.lastRequest();
      assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
      assertThat(sent.headers().get("x-goog-api-key")).containsExactly("AIza-upstream");
    }
  }

  // ---- errors, in Google's format ----

  @Test
  void anUnknownModelIs404InGooglesFormat() {
    HttpResponse<String> response = post("/v1beta/models/no-such-model:generateContent", null,
        "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"error\":{\"code\":404,\"message\":\"The model `no-such-model` does not"
        + " exist or is not served by this gateway\",\"status\":\"NOT_FOUND\"}}");
  }

  @Test
  void malformedJsonIs400InGooglesFormat() throws Exception {
    HttpResponse<String> response = post("/v1/models/gpt-4o:generateContent", null, "{\"contents\": [");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(400);
    assertThat(error.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.path("message").asText()).startsWith("Invalid JSON in request body at line 1");
    assertThat(openai.requests()).isEmpty();
  }

  @Test
  void aMissingKeyIs401InGooglesFormat() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
            + "/v1beta/models/gpt-4o:generateContent"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}")).build());

    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("status").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(error.path("code").asInt()).isEqualTo(401);
  }

  @Test
  void aTranslatedStreamWithoutAltSseIsRefused() throws Exception {
    HttpResponse<String> response = post("/v1beta/models/gpt-4o:streamGenerateContent", null,
        "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).path("error").path("status").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(openai.requests()).isEmpty();
  }

  // ---- helpers ----

  /** POSTs JSON with the gateway key in x-goog-api-key (or {@code key}, when given, as is). */
  static HttpResponse<String> post(String path, String key, String json) {
    return send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
        .header("content-type", "application/json")
        .header("x-goog-api-key", key != null ? key : KEY)
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    return gateway.send(request);
  }

  /** The JSON of each {@code data:} event of an SSE body. */
  static List<JsonNode> events(String sse) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String line : sse.split("\r?\n")) {
      if (line.startsWith("data: ")) {
        events.add(JSON.readTree(line.substring("data: ".length())));
      }
    }
    return events;
  }
}
