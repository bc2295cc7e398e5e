package dev.aigis.app.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import com.openai.errors.OpenAIException;
import com.openai.models.FunctionDefinition;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.FakeBedrockUpstream;
import dev.aigis.testkit.RecordedRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI and Anthropic SDKs through the gateway to an AWSBedrock backend. The fake
 * verifies every request's SigV4 signature with its own implementation of the algorithm (session
 * token included) and Converse's wire rules, and answers in event-stream framing when streaming.
 */
class BedrockEndToEndTest {

  static final String MODEL_ID = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  static FakeBedrockUpstream bedrock;
  static GatewayFixture gateway;
  static OpenAIClient openai;
  static AnthropicClient anthropic;

  @BeforeAll
  static void start() {
    bedrock = FakeBedrockUpstream.start("AKIAFAKEBEDROCK", "fake/secret+key", "fake-session-token", "eu-west-3");
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
        metadata: {name: aws}
        stringData: {accessKeyId: AKIAFAKEBEDROCK, secretAccessKey: fake/secret+key, sessionToken: fake-session-token}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: aws-wrong}
        stringData: {accessKeyId: AKIAFAKEBEDROCK, secretAccessKey: not-the-secret, sessionToken: fake-session-token}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: bedrock}
        spec:
          schema: AWSBedrock
          endpoint: {url: "%1$s"}
          aws: {region: eu-west-3}
          credentials: {secretRef: {name: aws}}
          modelNameOverride: "%2$s"
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: bedrock-nova}
        spec:
          schema: AWSBedrock
          endpoint: {url: "%1$s"}
          aws: {region: eu-west-3}
          credentials: {secretRef: {name: aws}}
          modelNameOverride: amazon.nova-pro-v1:0
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: bedrock-wrong}
        spec:
          schema: AWSBedrock
          endpoint: {url: "%1$s"}
          aws: {region: eu-west-3}
          credentials: {secretRef: {name: aws-wrong}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: bedrock}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-bedrock}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: bedrock}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: nova-bedrock}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: bedrock-nova}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-wrong-key}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: bedrock-wrong}]
        """.formatted(bedrock.baseUrl(), MODEL_ID));
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
    bedrock.close();
  }

  @BeforeEach
  void clear() {
    bedrock.reset();
  }

  @Test
  void openAiChatBecomesASignedConverseCall() {
    bedrock.script(FakeBedrockUpstream.Reply.text("Hello from Bedrock").withUsage(15, 4, 0));

    ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("claude-bedrock").addSystemMessage("Be brief.").addUserMessage("hi").maxCompletionTokens(64).build());

    assertThat(completion.choices().getFirst().message().content()).contains("Hello from Bedrock");
    assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(15);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);
    RecordedRequest seen = bedrock.lastRequest();
    assertThat(seen.path()).isEqualTo("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
    assertThat(bedrock.lastModelId()).isEqualTo(MODEL_ID);
    assertThat(seen.header("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIAFAKEBEDROCK/")
        .contains("/eu-west-3/bedrock/aws4_request");
    assertThat(seen.header("x-amz-security-token")).isEqualTo("fake-session-token");
    assertThat(seen.json().path("system").get(0).path("text").asText()).isEqualTo("Be brief.");
    assertThat(seen.json().path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(64);
  }

  @Test
  void openAiStreamingReadsTheEventStream() {
    bedrock.script(FakeBedrockUpstream.Reply.text("one two three").withUsage(7, 3, 0));
    var text = new StringBuilder();
    List<Long> usage = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("claude-bedrock").addUserMessage("count")
            .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder()
                .includeUsage(true).build())
            .build())) {
      stream.stream().forEach(chunk -> {
        chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
        chunk.usage().ifPresent(u -> usage.add(u.completionTokens()));
      });
    }
    assertThat(text.toString()).isEqualTo("one two three");
    assertThat(usage).containsExactly(3L);
    assertThat(bedrock.lastRequest().path()).endsWith("/converse-stream");
  }

  @Test
  void openAiToolsAndToolCallsTranslateBothWays() {
    bedrock.script(FakeBedrockUpstream.Reply.text("").withToolCall("tooluse_1", "get_weather", "{\"city\":\"Paris\"}"));
    ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("claude-bedrock").addUserMessage("Weather in Paris?")
        .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
            .description("Weather for a city").build()).build())
        .build());

    var call = completion.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
    assertThat(call.id()).isEqualTo("tooluse_1");
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(bedrock.lastRequest().json().path("toolConfig").path("tools").get(0).path("toolSpec").path("name")
        .asText()).isEqualTo("get_weather");
  }

  @Test
  void openAiStreamedToolCallsKeepTheirIndexes() {
    bedrock.script(FakeBedrockUpstream.Reply.text("Checking.")
        .withToolCall("tooluse_a", "get_weather", "{\"city\":\"Paris\"}")
        .withToolCall("tooluse_b", "get_weather", "{\"city\":\"Rome\"}"));
    Map<Long, StringBuilder> arguments = new java.util.TreeMap<>();
    try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("claude-bedrock").addUserMessage("Paris and Rome?")
            .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                .build()).build())
            .build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().toolCalls().ifPresent(calls ->
          calls.forEach(tc -> arguments.computeIfAbsent(tc.index(), i -> new StringBuilder())
              .append(tc.function().flatMap(f -> f.arguments()).orElse(""))))));
    }
    assertThat(arguments).hasSize(2);
    assertThat(arguments.get(0L).toString()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(arguments.get(1L).toString()).isEqualTo("{\"city\":\"Rome\"}");
  }

  @Test
  void openAiImageInputBecomesABedrockImageBlock() {
    bedrock.script(FakeBedrockUpstream.Reply.text("A red pixel."));
    String dataUrl = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    openai.chat().completions().create(ChatCompletionCreateParams.builder().model("claude-bedrock")
        .addUserMessageOfArrayOfContentParts(List.of(
            ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(dataUrl).build()).build())))
        .build());

    JsonNode image = bedrock.lastRequest().json().path("messages").get(0).path("content").get(1).path("image");
    assertThat(image.path("format").asText()).isEqualTo("png");
    assertThat(image.path("source").path("bytes").asText()).startsWith("iVBORw0KGgo");
  }

  @Test
  void anImageUrlIsRefusedBeforeAnyUpstreamCall() {
    HttpResponse<String> raw = gateway.post("/v1/chat/completions", "{\"model\":\"claude-bedrock\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x.test/a.png\"}}]}]}");
    assertThat(raw.statusCode()).isEqualTo(400);
    assertThat(raw.body()).contains("cannot fetch images");
    assertThat(bedrock.requests()).isEmpty();
  }

  @Test
  void anExceptionMessageInsideTheStreamReachesTheClientAsAnError() {
    bedrock.script(FakeBedrockUpstream.Reply.text("partial answer here")
        .withExceptionAfter(1, "throttlingException", "Too many requests, please wait before trying again."));
    assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(
          ChatCompletionCreateParams.builder().model("claude-bedrock").addUserMessage("hi").build())) {
        stream.stream().forEach(chunk -> { });
      }
    }).isInstanceOf(OpenAIException.class).hasMessageContaining("Too many requests");
  }

  @Test
  void aWrongSecretIsRefusedByTheSignatureCheckAndRelayed() {
    HttpResponse<String> raw = gateway.post("/v1/chat/completions",
        "{\"model\":\"claude-wrong-key\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(raw.statusCode()).isEqualTo(403);
    assertThat(raw.body()).contains("The request signature we calculated does not match");
  }

  @Test
  void bedrockHttpErrorsKeepStatusAndMessage() {
    bedrock.script(FakeBedrockUpstream.Reply.httpError(429, "ThrottlingException", "Rate exceeded"));
    HttpResponse<String> raw = gateway.post("/v1/chat/completions",
        "{\"model\":\"claude-bedrock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(raw.statusCode()).isEqualTo(429);
    assertThat(raw.body()).contains("Rate exceeded").contains("rate_limit_error");
  }

  // ---- the Anthropic SDK's /v1/messages to the Bedrock backend, through Converse ----
  // (a model other than Claude: Claude model ids take InvokeModel, see ClaudeOnCloudsEndToEndTest)

  @Test
  void anthropicMessagesPlain() {
    bedrock.script(FakeBedrockUpstream.Reply.text("Bonjour").withUsage(11, 2, 0));
    Message message = anthropic.messages().create(MessageCreateParams.builder()
        .model("nova-bedrock").maxTokens(50).system("Answer in French.").addUserMessage("Hello").build());

    assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Bonjour");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).isEqualTo(11);
    assertThat(message.usage().outputTokens()).isEqualTo(2);
    JsonNode sent = bedrock.lastRequest().json();
    assertThat(sent.path("system").get(0).path("text").asText()).isEqualTo("Answer in French.");
    assertThat(sent.path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(50);
  }

  @Test
  void anthropicMessagesStreaming() {
    bedrock.script(FakeBedrockUpstream.Reply.text("one two three"));
    var text = new StringBuilder();
    var types = new ArrayList<String>();
    try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(
        MessageCreateParams.builder().model("nova-bedrock").maxTokens(50).addUserMessage("count").build())) {
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
    bedrock.script(FakeBedrockUpstream.Reply.text("").withToolCall("tooluse_9", "get_weather", "{\"city\":\"Paris\"}"));

    Message answer = anthropic.messages().create(MessageCreateParams.builder().model("nova-bedrock").maxTokens(200)
        .addTool(weather).addUserMessage("Weather in Paris?").build());

    assertThat(answer.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock toolUse = answer.content().stream().map(ContentBlock::toolUse).flatMap(Optional::stream)
        .findFirst().orElseThrow();
    assertThat(toolUse.id()).isEqualTo("tooluse_9");
    assertThat(toolUse.name()).isEqualTo("get_weather");
    assertThat(toolUse._input().toString()).contains("Paris");
    assertThat(bedrock.lastRequest().json().path("toolConfig").path("tools").get(0).path("toolSpec")
        .path("inputSchema").path("json").path("properties").has("city")).isTrue();
  }
}
