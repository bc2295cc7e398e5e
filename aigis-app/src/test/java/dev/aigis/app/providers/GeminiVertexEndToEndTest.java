package dev.aigis.app.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.FakeGeminiUpstream;
import dev.aigis.testkit.FakeGeminiUpstream.Reply;
import dev.aigis.testkit.RecordedRequest;
import dev.aigis.testkit.TestServiceAccount;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI and Anthropic SDKs through the gateway to Gemini-schema backends: Google AI
 * (API key) and Vertex AI (service-account JWT traded for a bearer token, both checked by the fake).
 */
class GeminiVertexEndToEndTest {

  static final String PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

  static FakeGeminiUpstream gemini;
  static FakeGeminiUpstream vertex;
  static TestServiceAccount account;
  static GatewayFixture gateway;
  static OpenAIClient openai;
  static AnthropicClient anthropic;

  @BeforeAll
  static void start() {
    gemini = FakeGeminiUpstream.startGemini("AIza-upstream");
    account = TestServiceAccount.generate();
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
        metadata: {name: google}
        stringData:
          apiKey: AIza-upstream
          sa.json: "%s"
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: gemini}
        spec:
          schema: Gemini
          endpoint: {url: "%s"}
          credentials: {secretRef: {name: google, key: apiKey}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: vertex}
        spec:
          schema: GCPVertexAI
          endpoint: {url: "%s"}
          vertex: {project: my-project, location: us-central1}
          credentials: {secretRef: {name: google, key: sa.json}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: google}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gemini-2.5-flash}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: gemini}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gemini-2.5-pro}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: vertex}]
        """.formatted(keyJson, gemini.baseUrl(), vertex.baseUrl()));
    openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("sk-client")
        .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
    anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("sk-ant-client")
        .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    openai.close();
    anthropic.close();
    gateway.close();
    gemini.close();
    vertex.close();
  }

  @BeforeEach
  void clear() {
    gemini.reset();
    vertex.reset();
  }

  // ---- OpenAI SDK, against both backends ----

  void plain(FakeGeminiUpstream fake, String model) {
    fake.script(Reply.text("Hello from Gemini").withUsage(15, 3, 5, 2));

    ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(model).addSystemMessage("Be brief.").addUserMessage("hi").maxCompletionTokens(64).build());

    assertThat(completion.choices().getFirst().message().content()).contains("Hello from Gemini");
    assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    var usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(15);
    assertThat(usage.completionTokens()).isEqualTo(5);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(5L);
    assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).contains(2L);
    JsonNode body = fake.lastRequest().json();
    assertThat(body.path("systemInstruction").path("parts").get(0).path("text").asText()).isEqualTo("Be brief.");
    assertThat(body.path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(64);
  }

  void streaming(FakeGeminiUpstream fake, String model) {
    fake.script(Reply.text("one two three"));
    var text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model(model).addUserMessage("count").build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString()).isEqualTo("one two three");
    assertThat(fake.lastRequest().path()).endsWith(":streamGenerateContent?alt=sse");
  }

  void tools(FakeGeminiUpstream fake, String model) {
    fake.script(Reply.text("").withCall("get_weather", "{\"city\":\"Paris\"}"));
    ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model(model).addUserMessage("Weather in Paris?")
        .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
            .description("Weather for a city").build()).build())
        .build();
    ChatCompletion completion = openai.chat().completions().create(first);

    var message = completion.choices().getFirst().message();
    var call = message.toolCalls().orElseThrow().getFirst().asFunction();
    assertThat(call.id()).isEqualTo("call_0");
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);

    fake.script(Reply.text("Sunny in Paris."));
    ChatCompletion second = openai.chat().completions().create(first.toBuilder()
        .addMessage(message).addMessage(com.openai.models.chat.completions.ChatCompletionToolMessageParam.builder()
            .toolCallId("call_0").content("24C, sunny").build())
        .build());
    assertThat(second.choices().getFirst().message().content()).contains("Sunny in Paris.");
    JsonNode response = fake.lastRequest().json().path("contents").get(2).path("parts").get(0).path("functionResponse");
    assertThat(response.path("name").asText()).isEqualTo("get_weather");
    assertThat(response.path("response").path("content").asText()).isEqualTo("24C, sunny");
  }

  void image(FakeGeminiUpstream fake, String model) {
    fake.script(Reply.text("A red pixel."));
    openai.chat().completions().create(ChatCompletionCreateParams.builder().model(model)
        .addUserMessageOfArrayOfContentParts(List.of(
            ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(PNG).build()).build())))
        .build());

    JsonNode part = fake.lastRequest().json().path("contents").get(0).path("parts").get(1);
    assertThat(part.path("inlineData").path("mimeType").asText()).isEqualTo("image/png");
    assertThat(part.path("inlineData").path("data").asText()).startsWith("iVBORw0KGgo");
  }

  @Test
  void geminiPlainChatUsesTheApiKey() {
    plain(gemini, "gemini-2.5-flash");
    RecordedRequest seen = gemini.lastRequest();
    assertThat(seen.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(seen.header("x-goog-api-key")).isEqualTo("AIza-upstream");
    assertThat(seen.header("authorization")).isNull();
  }

  @Test
  void geminiStreaming() {
    streaming(gemini, "gemini-2.5-flash");
  }

  @Test
  void geminiToolRoundTrip() {
    tools(gemini, "gemini-2.5-flash");
  }

  @Test
  void geminiImageInput() {
    image(gemini, "gemini-2.5-flash");
  }

  @Test
  void vertexPlainChatUsesAnIssuedBearerToken() {
    plain(vertex, "gemini-2.5-pro");
    RecordedRequest seen = vertex.lastRequest();
    assertThat(seen.path()).isEqualTo(
        "/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent");
    assertThat(seen.header("authorization")).startsWith("Bearer ya29.fake-");
    assertThat(seen.header("x-goog-api-key")).isNull();
  }

  @Test
  void vertexStreamingToolsAndImagesShareOneToken() {
    int before = vertex.tokensIssued();
    streaming(vertex, "gemini-2.5-pro");
    tools(vertex, "gemini-2.5-pro");
    image(vertex, "gemini-2.5-pro");
    assertThat(vertex.tokensIssued() - before).isLessThanOrEqualTo(1);
    assertThat(vertex.requests()).allSatisfy(r -> assertThat(r.path().equals("/token")
        || r.header("authorization").startsWith("Bearer ya29.fake-")).isTrue());
  }

  // ---- Anthropic SDK against the Gemini backend ----

  @Test
  void anthropicMessagesPlain() {
    gemini.script(Reply.text("Bonjour").withUsage(11, 2, 0, 0));
    Message message = anthropic.messages().create(MessageCreateParams.builder()
        .model("gemini-2.5-flash").maxTokens(50).system("Answer in French.").addUserMessage("Hello").build());

    assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Bonjour");
    assertThat(message.usage().inputTokens()).isEqualTo(11);
    assertThat(message.usage().outputTokens()).isEqualTo(2);
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(gemini.lastRequest().json().path("systemInstruction").toString()).contains("Answer in French.");
  }

  @Test
  void anthropicMessagesStreaming() {
    gemini.script(Reply.text("one two three"));
    var text = new StringBuilder();
    var types = new java.util.ArrayList<String>();
    try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(
        MessageCreateParams.builder().model("gemini-2.5-flash").maxTokens(50).addUserMessage("count").build())) {
      stream.stream().forEach(event -> {
        event.messageStart().ifPresent(e -> types.add("message_start"));
        event.messageStop().ifPresent(e -> types.add("message_stop"));
        event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(d -> text.append(d.text()));
      });
    }
    assertThat(text.toString()).isEqualTo("one two three");
    assertThat(types).startsWith("message_start").endsWith("message_stop");
  }

  @Test
  void anthropicToolUse() {
    Tool weather = Tool.builder().name("get_weather").description("Weather for a city")
        .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
            .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build()).build())
        .build();
    gemini.script(Reply.text("").withCall("get_weather", "{\"city\":\"Paris\"}"));

    Message answer = anthropic.messages().create(MessageCreateParams.builder().model("gemini-2.5-flash").maxTokens(200)
        .addTool(weather).addUserMessage("Weather in Paris?").build());

    assertThat(answer.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock toolUse = answer.content().stream().map(ContentBlock::toolUse).flatMap(Optional::stream)
        .findFirst().orElseThrow();
    assertThat(toolUse.name()).isEqualTo("get_weather");
    assertThat(toolUse._input().toString()).contains("Paris");
    JsonNode declaration = gemini.lastRequest().json().path("tools").get(0).path("functionDeclarations").get(0);
    assertThat(declaration.path("name").asText()).isEqualTo("get_weather");
  }
}
