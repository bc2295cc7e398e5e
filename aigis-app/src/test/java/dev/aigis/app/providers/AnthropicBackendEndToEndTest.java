package dev.aigis.app.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.FunctionDefinition;
import dev.aigis.app.AccessLogTap;
import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.FakeAnthropicUpstream;
import dev.aigis.testkit.RecordedRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI SDK through the gateway to an Anthropic-schema backend; the fake checks Anthropic's wire rules. */
class AnthropicBackendEndToEndTest {

  static FakeAnthropicUpstream anthropic;
  static GatewayFixture gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    anthropic = FakeAnthropicUpstream.start("sk-ant-upstream");
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
        metadata: {name: anthropic}
        stringData: {apiKey: sk-ant-upstream}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: anthropic}
        spec:
          schema: Anthropic
          endpoint: {url: "%1$s"}
          credentials: {secretRef: {name: anthropic, key: apiKey}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: anthropic-strict}
        spec:
          schema: Anthropic
          endpoint: {url: "%1$s"}
          credentials: {secretRef: {name: anthropic, key: apiKey}}
          anthropic: {betas: ["context-1m-*"]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: claude}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-sonnet-4-5}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-strict}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic-strict}]
        """.formatted(anthropic.baseUrl()));
    client = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("sk-client")
        .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    gateway.close();
    anthropic.close();
  }

  @BeforeEach
  void clear() {
    anthropic.reset();
  }

  @Test
  void chatBecomesAMessagesCallWithAnthropicsHeaders() {
    anthropic.script(FakeAnthropicUpstream.Reply.text("Hello from Claude").withUsage(15, 4));

    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("claude-sonnet-4-5").addSystemMessage("Be brief.").addUserMessage("hi").maxCompletionTokens(64).build());

    assertThat(completion.choices().getFirst().message().content()).contains("Hello from Claude");
    assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(15);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);
    RecordedRequest seen = anthropic.lastRequest();
    assertThat(seen.path()).isEqualTo("/v1/messages");
    assertThat(seen.header("x-api-key")).isEqualTo("sk-ant-upstream");
    assertThat(seen.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(seen.header("authorization")).isNull();
    assertThat(seen.json().path("system").toString()).contains("Be brief.");
    assertThat(seen.json().path("max_tokens").asInt()).isEqualTo(64);
  }

  @Test
  void streamingTokensArriveInOrder() {
    anthropic.script(FakeAnthropicUpstream.Reply.text("one two three"));
    var text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("claude-sonnet-4-5").addUserMessage("count").build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString()).isEqualTo("one two three");
  }

  @Test
  void toolsAndToolCallsTranslateBothWays() {
    anthropic.script(FakeAnthropicUpstream.Reply.text("").withToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"));
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("claude-sonnet-4-5").addUserMessage("Weather in Paris?")
        .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
            .description("Weather for a city").build()).build())
        .build());

    var call = completion.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
    assertThat(call.id()).isEqualTo("toolu_1");
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(anthropic.lastRequest().json().path("tools").get(0).path("name").asText()).isEqualTo("get_weather");
  }

  @Test
  void imageInputBecomesAnAnthropicImageBlock() {
    anthropic.script(FakeAnthropicUpstream.Reply.text("A red pixel."));
    String dataUrl = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    client.chat().completions().create(ChatCompletionCreateParams.builder().model("claude-sonnet-4-5")
        .addUserMessageOfArrayOfContentParts(List.of(
            ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(dataUrl).build()).build())))
        .build());

    JsonNode image = anthropic.lastRequest().json().path("messages").get(0).path("content").get(1);
    assertThat(image.path("type").asText()).isEqualTo("image");
    assertThat(image.path("source").path("type").asText()).isEqualTo("base64");
    assertThat(image.path("source").path("media_type").asText()).isEqualTo("image/png");
    assertThat(image.path("source").path("data").asText()).startsWith("iVBORw0KGgo");
  }

  @Test
  void anErrorEventInsideA200StreamReachesTheClientAsAnError() throws Exception {
    anthropic.script(FakeAnthropicUpstream.Reply.text("partial answer here").withErrorEvent(1, "overloaded_error", "Overloaded"));
    try (var accessLog = AccessLogTap.open()) {
      assertThatThrownBy(() -> {
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
            ChatCompletionCreateParams.builder().model("claude-sonnet-4-5").addUserMessage("hi").build())) {
          stream.stream().forEach(chunk -> { });
        }
      }).isInstanceOf(OpenAIException.class).hasMessageContaining("Overloaded");

      // The client saw a 200 head, but the exchange failed: metrics count the failure, not a success.
      // They are recorded just after the last byte is written; the access-log line follows them.
      assertThat(accessLog.await("\"status\":503", Duration.ofSeconds(10))).isNotNull();
    }
    assertThat(gateway.admin("/metrics").body()).contains(
        "aigis_requests_total{backend=\"default/anthropic\",model=\"claude-sonnet-4-5\",route=\"default/claude\",status=\"503\"} 1.0");
  }

  @Test
  void anthropicHttpErrorsKeepStatusAndMessageInOpenAiFormat() {
    anthropic.script(FakeAnthropicUpstream.Reply.httpError(529, "overloaded_error", "Overloaded"));
    HttpResponse<String> raw = gateway.post("/v1/chat/completions",
        "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(raw.statusCode()).isEqualTo(529);
    assertThat(raw.body()).isEqualTo(
        "{\"error\":{\"message\":\"Overloaded\",\"type\":\"overloaded_error\",\"param\":null,\"code\":\"overloaded_error\"}}");
  }

  @Test
  void anthropicClientsReachAnAnthropicBackendNativelyWithTheBackendsKey() {
    anthropic.script(FakeAnthropicUpstream.Reply.text("native answer").withUsage(5, 2));
    HttpResponse<String> raw = gateway.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.baseUrl() + "/v1/messages"))
        .header("content-type", "application/json")
        .header("x-api-key", "sk-ant-client-key")
        .header("anthropic-version", "2023-06-01")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":20,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build());

    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.body()).contains("\"type\":\"message\"").contains("native answer");
    RecordedRequest seen = anthropic.lastRequest();
    assertThat(seen.header("x-api-key")).isEqualTo("sk-ant-upstream");
    // Native: fields the pivot would drop reach Anthropic untouched.
    assertThat(seen.json().path("thinking").path("budget_tokens").asInt()).isEqualTo(1024);
  }

  @Test
  void fieldsAndBlockTypesNewerThanTheGatewayPassThroughNativelyUntouched() {
    String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":20,\"future_option\":{\"level\":3},"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"},"
        + "{\"type\":\"hologram\",\"source\":{\"uri\":\"holo://1\"}}]}]}";
    HttpResponse<String> raw = gateway.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.baseUrl() + "/v1/messages"))
        .header("content-type", "application/json")
        .header("x-api-key", "sk-ant-client-key")
        .header("anthropic-version", "2023-06-01")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
        .build());

    // The bytes reach Anthropic as sent; Anthropic (here its fake) is the one to judge the unknown block.
    assertThat(anthropic.lastRequest().bodyText()).isEqualTo(body);
    assertThat(raw.statusCode()).isEqualTo(400);
    assertThat(raw.body()).contains("\"type\":\"error\"").contains("messages.0.content.1.type");
  }

  @Test
  void reasoningEffortBecomesAThinkingBudgetAndThinkingComesBackAsReasoningContent() {
    anthropic.script(FakeAnthropicUpstream.Reply.text("Paris.").withThinking("The capital of France.")
        .withUsage(20, 9).withCacheTokens(0, 300));

    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("claude-sonnet-4-5").addUserMessage("Capital of France?").maxCompletionTokens(1000)
        .temperature(0.2).reasoningEffort(com.openai.models.ReasoningEffort.HIGH).build());

    var message = completion.choices().getFirst().message();
    assertThat(message.content()).contains("Paris.");
    assertThat(message._additionalProperties().get("reasoning_content").asString())
        .contains("The capital of France.");
    var usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(320);
    assertThat(usage.promptTokensDetails().orElseThrow()._additionalProperties().get("cache_creation_tokens")
        .asNumber()).contains(300);
    JsonNode sent = anthropic.lastRequest().json();
    assertThat(sent.path("thinking").path("type").asText()).isEqualTo("enabled");
    assertThat(sent.path("thinking").path("budget_tokens").asInt()).isEqualTo(4096);
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(5096);
    assertThat(sent.has("temperature")).isFalse();
  }

  HttpResponse<String> withBetas(String model, String betas) {
    return gateway.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.baseUrl() + "/v1/messages"))
        .header("content-type", "application/json")
        .header("x-api-key", "sk-ant-client-key")
        .header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", betas)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"" + model + "\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build());
  }

  @Test
  void aClaudeCodeSystemMessageInsideMessagesIsFoldedOnTheNativePath() {
    anthropic.script(FakeAnthropicUpstream.Reply.text("ok"));
    HttpResponse<String> raw = gateway.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.baseUrl() + "/v1/messages"))
        .header("content-type", "application/json")
        .header("x-api-key", "sk-ant-client-key")
        .header("anthropic-version", "2023-06-01")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":20,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"system\",\"content\":\"cwd is /repo\"}]}"))
        .build());

    assertThat(raw.statusCode()).isEqualTo(200); // Anthropic's API (and its fake) refuse role system in messages
    JsonNode sent = anthropic.lastRequest().json();
    assertThat(sent.path("messages")).hasSize(1);
    assertThat(sent.path("system").get(0).path("text").asText()).isEqualTo("cwd is /repo");
  }

  @Test
  void anthropicBetasPassAsSentUnlessTheBackendListsTheAllowedOnes() {
    assertThat(withBetas("claude-sonnet-4-5", "context-1m-2025-08-07,made-up-2099-01-01").statusCode()).isEqualTo(200);
    assertThat(anthropic.lastRequest().header("anthropic-beta")).isEqualTo("context-1m-2025-08-07,made-up-2099-01-01");

    assertThat(withBetas("claude-strict", "context-1m-2025-08-07,made-up-2099-01-01").statusCode()).isEqualTo(200);
    assertThat(anthropic.lastRequest().header("anthropic-beta")).isEqualTo("context-1m-2025-08-07");

    assertThat(withBetas("claude-strict", "made-up-2099-01-01").statusCode()).isEqualTo(200);
    assertThat(anthropic.lastRequest().headers()).doesNotContainKey("anthropic-beta");
  }

  @Test
  void endToEndHeadersSurviveTranslationButTheClientsCredentialsDoNot() {
    anthropic.script(FakeAnthropicUpstream.Reply.text("ok"));
    HttpResponse<String> raw = gateway.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .header("authorization", "Bearer sk-client-secret")
        .header("x-tenant", "blue")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build());
    assertThat(raw.statusCode()).isEqualTo(200);
    RecordedRequest seen = anthropic.lastRequest();
    assertThat(seen.header("x-tenant")).isEqualTo("blue");
    assertThat(seen.header("authorization")).isNull();
    assertThat(seen.header("x-api-key")).isEqualTo("sk-ant-upstream");
  }
}
