package dev.aigis.app.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Anthropic Java SDK against the gateway's {@code /v1/messages}: answered by the
 * embedded echo model, and translated to an OpenAI-schema backend (plain, streaming, a tool round trip).
 */
class AnthropicSdkEndToEndTest {

  static FakeOpenAiUpstream openai;
  static GatewayFixture gateway;
  static AnthropicClient client;

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
        apiVersion: v1
        kind: Secret
        metadata: {name: openai}
        stringData: {apiKey: sk-openai-upstream}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: openai}
        spec:
          schema: OpenAI
          endpoint: {url: "%s"}
          credentials: {secretRef: {name: openai, key: apiKey}}
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
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-4o-mini}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: openai}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: aigis-echo}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]
        """.formatted(openai.baseUrl()));
    client = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("sk-ant-client")
        .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    gateway.close();
    openai.close();
  }

  @BeforeEach
  void clear() {
    openai.reset();
  }

  @Test
  void echoAnswersTheMessagesApiPlain() {
    Message message = client.messages().create(MessageCreateParams.builder()
        .model("aigis-echo").maxTokens(100).addUserMessage("hello anthropic").build());
    assertThat(message.content()).extracting(block -> block.text().orElseThrow().text()).containsExactly("hello anthropic");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().outputTokens()).isEqualTo(dev.aigis.core.usage.TokenCounter.count("hello anthropic"));
  }

  @Test
  void echoAnswersTheMessagesApiStreaming() {
    var text = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(MessageCreateParams.builder()
        .model("aigis-echo").maxTokens(100).addUserMessage("stream this back").build())) {
      stream.stream().forEach(event -> event.contentBlockDelta()
          .flatMap(delta -> delta.delta().text()).ifPresent(delta -> text.append(delta.text())));
    }
    assertThat(text.toString()).isEqualTo("stream this back");
  }

  @Test
  void messagesTranslateToAnOpenAiBackendWithItsCredentials() {
    openai.enqueue(Behavior.ok().withReply("Bonjour").withUsage(11, 2));
    Message message = client.messages().create(MessageCreateParams.builder()
        .model("gpt-4o-mini").maxTokens(50).system("Answer in French.").addUserMessage("Hello").build());

    assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Bonjour");
    assertThat(message.usage().inputTokens()).isEqualTo(11);
    assertThat(message.usage().outputTokens()).isEqualTo(2);
    RecordedRequest seen = openai.lastRequest();
    assertThat(seen.path()).isEqualTo("/v1/chat/completions");
    assertThat(seen.header("authorization")).isEqualTo("Bearer sk-openai-upstream");
    assertThat(seen.header("x-api-key")).isNull();
    assertThat(seen.json().path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(seen.json().path("max_tokens").asInt()).isEqualTo(50);
  }

  @Test
  void streamingTranslatesEventByEvent() {
    openai.enqueue(Behavior.ok().withReply("one two three").withTokens(3));
    var text = new StringBuilder();
    var types = new java.util.ArrayList<String>();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(MessageCreateParams.builder()
        .model("gpt-4o-mini").maxTokens(50).addUserMessage("count").build())) {
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
  void toolUseRoundTripThroughAnOpenAiBackend() {
    Tool weather = Tool.builder().name("get_weather").description("Weather for a city")
        .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
            .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build()).build())
        .build();
    openai.enqueue(Behavior.ok().withToolCalls(new Behavior.ToolCall("call_9", "get_weather", "{\"city\":\"Paris\"}")));
    MessageCreateParams first = MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(200)
        .addTool(weather).addUserMessage("Weather in Paris?").build();

    Message answer = client.messages().create(first);

    assertThat(answer.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock toolUse = answer.content().stream().map(ContentBlock::toolUse).flatMap(java.util.Optional::stream)
        .findFirst().orElseThrow();
    assertThat(toolUse.id()).isEqualTo("call_9");
    assertThat(toolUse.name()).isEqualTo("get_weather");
    assertThat(toolUse._input().toString()).contains("Paris");
    assertThat(openai.lastRequest().json().path("tools").get(0).path("function").path("name").asText()).isEqualTo("get_weather");

    openai.enqueue(Behavior.ok().withReply("It is sunny in Paris."));
    Message second = client.messages().create(first.toBuilder()
        .addMessage(answer)
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
            ToolResultBlockParam.builder().toolUseId("call_9").content("sunny, 24C").build())))
        .build());

    assertThat(second.content().getFirst().text().orElseThrow().text()).isEqualTo("It is sunny in Paris.");
    var messages = openai.lastRequest().json().path("messages");
    var toolMessage = messages.get(messages.size() - 1);
    assertThat(toolMessage.path("role").asText()).isEqualTo("tool");
    assertThat(toolMessage.path("tool_call_id").asText()).isEqualTo("call_9");
    assertThat(toolMessage.path("content").toString()).contains("sunny, 24C");
  }

  @Test
  void unknownModelIsAnAnthropicFormat404() {
    assertThatThrownBy(() -> client.messages().create(MessageCreateParams.builder()
            .model("claude-nope").maxTokens(10).addUserMessage("hi").build()))
        .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.getMessage()).contains("claude-nope"));
    var raw = gateway.post("/v1/messages", "{\"model\":\"claude-nope\",\"max_tokens\":5,\"messages\":[]}");
    assertThat(raw.statusCode()).isEqualTo(404);
    assertThat(raw.body()).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\","
        + "\"message\":\"The model `claude-nope` does not exist or is not served by this gateway\"}}");
  }
}
