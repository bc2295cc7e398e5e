package dev.aigis.app.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ThinkingBlock;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aigis.app.GatewayFixture;
import dev.aigis.testkit.FakeAnthropicUpstream.Reply;
import dev.aigis.testkit.FakeBedrockUpstream;
import dev.aigis.testkit.FakeGeminiUpstream;
import dev.aigis.testkit.RecordedRequest;
import dev.aigis.testkit.TestServiceAccount;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claude hosted by the clouds, through the gateway: the official Anthropic SDK to Claude on Vertex
 * AI ({@code rawPredict}) and on Bedrock ({@code InvokeModel}), with thinking, tool use, streams
 * and count_tokens; the OpenAI SDK to Claude on Vertex; and a Claude Code-style request (a system
 * message inside messages, an allowed and an unknown beta). The fakes check the envelope (path,
 * bearer token or SigV4 signature, {@code anthropic_version}, no {@code model}) and every rule of
 * Anthropic's API, signatures of thinking blocks sent back included.
 */
class ClaudeOnCloudsEndToEndTest {

  static final String VERTEX_MODEL = "claude-sonnet-4-5@20250929";
  static final String BEDROCK_MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  static final ObjectMapper JSON = new ObjectMapper();

  static FakeGeminiUpstream vertex;
  static FakeBedrockUpstream bedrock;
  static TestServiceAccount account;
  static GatewayFixture gateway;
  static AnthropicClient anthropic;
  static OpenAIClient openai;

  @BeforeAll
  static void start() {
    account = TestServiceAccount.generate();
    vertex = FakeGeminiUpstream.startVertex(account);
    bedrock = FakeBedrockUpstream.start("AKIAFAKECLAUDE", "fake/claude+secret", null, "us-east-1");
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
          sa.json: "%s"
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: aws}
        stringData: {accessKeyId: AKIAFAKECLAUDE, secretAccessKey: fake/claude+secret}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: vertex}
        spec:
          schema: GCPVertexAI
          endpoint: {url: "%s"}
          vertex: {project: my-project, location: us-east5}
          credentials: {secretRef: {name: google, key: sa.json}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: bedrock}
        spec:
          schema: AWSBedrock
          endpoint: {url: "%s"}
          aws: {region: us-east-1}
          credentials: {secretRef: {name: aws}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: claude}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: "%s"}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: vertex}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: "%s"}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: bedrock}]
        """.formatted(keyJson, vertex.baseUrl(), bedrock.baseUrl(), VERTEX_MODEL, BEDROCK_MODEL));
    anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey("sk-ant-client")
        .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
    openai = OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("sk-client")
        .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    anthropic.close();
    openai.close();
    gateway.close();
    vertex.close();
    bedrock.close();
  }

  @BeforeEach
  void clear() {
    vertex.reset();
    bedrock.reset();
  }

  static final Tool WEATHER = Tool.builder().name("get_weather").description("Weather for a city")
      .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
          .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build()).build())
      .build();

  /** Thinking and a tool call, then the tool result sent back with the signed thinking block. */
  void thinkingAndToolUseRoundTrip(String model, Runnable scriptBoth, Supplier<RecordedRequest> last) {
    scriptBoth.run();
    MessageCreateParams first = MessageCreateParams.builder().model(model).maxTokens(2048).enabledThinking(1024)
        .addTool(WEATHER).addUserMessage("Weather in Paris?").build();

    Message answer = anthropic.messages().create(first);

    assertThat(answer.stopReason()).contains(StopReason.TOOL_USE);
    ThinkingBlock thinking = answer.content().getFirst().thinking().orElseThrow();
    assertThat(thinking.thinking()).isEqualTo("I should check the weather.");
    assertThat(thinking.signature()).isEqualTo(Reply.signatureOf("I should check the weather."));
    ToolUseBlock toolUse = answer.content().stream().map(ContentBlock::toolUse).flatMap(Optional::stream)
        .findFirst().orElseThrow();
    assertThat(toolUse.name()).isEqualTo("get_weather");
    JsonNode sent = last.get().json();
    assertThat(sent.path("anthropic_version").asText()).isNotEmpty();
    assertThat(sent.has("model")).isFalse();
    assertThat(sent.path("thinking").path("budget_tokens").asInt()).isEqualTo(1024);

    Message second = anthropic.messages().create(first.toBuilder()
        .addMessage(answer)
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
            ToolResultBlockParam.builder().toolUseId(toolUse.id()).content("sunny, 24C").build())))
        .build());

    assertThat(second.content().stream().map(ContentBlock::text).flatMap(Optional::stream).findFirst().orElseThrow()
        .text()).isEqualTo("It is sunny.");
    JsonNode assistant = last.get().json().path("messages").get(1);
    assertThat(assistant.path("content").get(0).path("type").asText()).isEqualTo("thinking");
    assertThat(assistant.path("content").get(0).path("signature").asText())
        .isEqualTo(Reply.signatureOf("I should check the weather."));
    assertThat(assistant.path("content").get(1).path("type").asText()).isEqualTo("tool_use");
  }

  static Reply toolReply() {
    return Reply.text("").withThinking("I should check the weather.")
        .withToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}");
  }

  // ---- Claude on Vertex AI ----

  @Test
  void anthropicSdkWithThinkingAndToolsOnVertex() {
    thinkingAndToolUseRoundTrip(VERTEX_MODEL, () -> {
      vertex.scriptClaude(toolReply());
      vertex.scriptClaude(Reply.text("It is sunny."));
    }, vertex::lastRequest);

    RecordedRequest seen = vertex.lastRequest();
    assertThat(seen.path()).isEqualTo(
        "/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict");
    assertThat(seen.header("authorization")).startsWith("Bearer ya29.fake-");
    assertThat(seen.header("x-api-key")).isNull();
    assertThat(seen.header("anthropic-version")).isNull();
    assertThat(seen.json().path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
  }

  @Test
  void anthropicSdkStreamsFromVertex() {
    vertex.scriptClaude(Reply.text("one two three").withThinking("Count to three.").withUsage(12, 7)
        .withCacheTokens(0, 40));

    StreamResult result = stream(VERTEX_MODEL);

    assertThat(result.text()).isEqualTo("one two three");
    assertThat(result.thinking()).isEqualTo("Count to three.");
    assertThat(result.signatures()).containsExactly(Reply.signatureOf("Count to three."));
    assertThat(result.outputTokens()).isEqualTo(7);
    assertThat(result.types()).startsWith("message_start").endsWith("message_stop");
    assertThat(vertex.lastRequest().path()).endsWith(":streamRawPredict");
    assertThat(vertex.lastRequest().json().path("stream").asBoolean()).isTrue();
  }

  @Test
  void countTokensOnVertex() {
    long tokens = anthropic.messages().countTokens(MessageCountTokensParams.builder().model(VERTEX_MODEL)
        .addUserMessage("How many tokens is this?").build()).inputTokens();

    RecordedRequest seen = vertex.lastRequest();
    assertThat(tokens).isPositive();
    assertThat(seen.path()).isEqualTo(
        "/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict");
    assertThat(seen.json().path("model").asText()).isEqualTo(VERTEX_MODEL);
  }

  @Test
  void openAiSdkChatsWithClaudeOnVertexPlainAndStreamed() {
    vertex.scriptClaude(Reply.text("Hello from Claude on Vertex").withUsage(9, 5));
    ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(VERTEX_MODEL).addSystemMessage("Be brief.").addUserMessage("hi").maxCompletionTokens(64).build());

    assertThat(completion.choices().getFirst().message().content()).contains("Hello from Claude on Vertex");
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(9);
    RecordedRequest seen = vertex.lastRequest();
    assertThat(seen.path()).endsWith("/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict");
    assertThat(seen.json().path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
    assertThat(seen.json().path("system").asText()).isEqualTo("Be brief.");
    assertThat(seen.json().has("model")).isFalse();

    vertex.scriptClaude(Reply.text("one two three"));
    var text = new StringBuilder();
    try (var stream = openai.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
        .model(VERTEX_MODEL).addUserMessage("count").build())) {
      stream.stream().forEach(chunk -> chunk.choices().stream().map(ChatCompletionChunk.Choice::delta)
          .forEach(d -> d.content().ifPresent(text::append)));
    }
    assertThat(text.toString()).isEqualTo("one two three");
    assertThat(vertex.lastRequest().path()).endsWith(":streamRawPredict");
  }

  // ---- Claude on Bedrock, InvokeModel ----

  @Test
  void anthropicSdkWithThinkingAndToolsOnBedrock() {
    thinkingAndToolUseRoundTrip(BEDROCK_MODEL, () -> {
      bedrock.scriptClaude(toolReply());
      bedrock.scriptClaude(Reply.text("It is sunny."));
    }, bedrock::lastRequest);

    RecordedRequest seen = bedrock.lastRequest();
    assertThat(seen.path()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke");
    assertThat(seen.header("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIAFAKECLAUDE/");
    assertThat(seen.json().path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
    assertThat(seen.json().has("stream")).isFalse();
  }

  @Test
  void anthropicSdkStreamsFromBedrocksEventStream() {
    bedrock.scriptClaude(Reply.text("one two three").withThinking("Count to three.").withUsage(12, 7));

    StreamResult result = stream(BEDROCK_MODEL);

    assertThat(result.text()).isEqualTo("one two three");
    assertThat(result.thinking()).isEqualTo("Count to three.");
    assertThat(result.signatures()).containsExactly(Reply.signatureOf("Count to three."));
    assertThat(result.outputTokens()).isEqualTo(7);
    assertThat(result.types()).startsWith("message_start").endsWith("message_stop");
    assertThat(bedrock.lastRequest().path())
        .isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");
    assertThat(bedrock.lastRequest().json().has("stream")).isFalse();
  }

  @Test
  void countTokensOnBedrock() throws Exception {
    long tokens = anthropic.messages().countTokens(MessageCountTokensParams.builder().model(BEDROCK_MODEL)
        .system("Be brief.").addUserMessage("How many tokens is this?").build()).inputTokens();

    RecordedRequest seen = bedrock.lastRequest();
    assertThat(tokens).isPositive();
    assertThat(seen.path()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens");
    JsonNode invoke = JSON.readTree(Base64.getDecoder().decode(
        seen.json().path("input").path("invokeModel").path("body").asText()));
    assertThat(invoke.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
    assertThat(invoke.path("system").asText()).isEqualTo("Be brief.");
    assertThat(invoke.has("model")).isFalse();
  }

  // ---- Claude Code-style requests ----

  static final String CLAUDE_CODE_BODY = """
      {"model": "%s", "max_tokens": 256,
       "system": [{"type": "text", "text": "You are Claude Code.", "cache_control": {"type": "ephemeral"}}],
       "messages": [
         {"role": "user", "content": "List the files."},
         {"role": "system", "content": "The working directory is /repo."}
       ]}
      """;

  static HttpResponse<String> claudeCode(String model) {
    return gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
        .header("content-type", "application/json")
        .header("x-api-key", "sk-ant-client")
        .header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "interleaved-thinking-2025-05-14,made-up-beta-2099-01-01")
        .POST(HttpRequest.BodyPublishers.ofString(CLAUDE_CODE_BODY.formatted(model)))
        .build());
  }

  @Test
  void claudeCodeOnVertexGetsItsSystemMessageFoldedAndOnlyTheAllowedBeta() throws Exception {
    vertex.scriptClaude(Reply.text("Done."));

    HttpResponse<String> raw = claudeCode(VERTEX_MODEL);

    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(raw.body()).path("content").get(0).path("text").asText()).isEqualTo("Done.");
    RecordedRequest seen = vertex.lastRequest();
    assertThat(seen.header("anthropic-beta")).isEqualTo("interleaved-thinking-2025-05-14");
    assertThat(seen.json().path("messages")).hasSize(1);
    assertThat(seen.json().path("system")).isEqualTo(JSON.readTree("""
        [{"type": "text", "text": "You are Claude Code.", "cache_control": {"type": "ephemeral"}},
         {"type": "text", "text": "The working directory is /repo."}]
        """));
  }

  @Test
  void claudeCodeOnBedrockGetsTheAllowedBetaInTheBody() throws Exception {
    bedrock.scriptClaude(Reply.text("Done."));

    HttpResponse<String> raw = claudeCode(BEDROCK_MODEL);

    assertThat(raw.statusCode()).isEqualTo(200);
    RecordedRequest seen = bedrock.lastRequest();
    assertThat(seen.header("anthropic-beta")).isNull();
    assertThat(seen.json().path("anthropic_beta")).isEqualTo(JSON.readTree("[\"interleaved-thinking-2025-05-14\"]"));
    assertThat(seen.json().path("messages")).hasSize(1);
    assertThat(seen.json().path("system").get(1).path("text").asText()).isEqualTo("The working directory is /repo.");
  }

  // ---- helpers ----

  record StreamResult(String text, String thinking, List<String> signatures, long outputTokens, List<String> types) {}

  static StreamResult stream(String model) {
    var text = new StringBuilder();
    var thinking = new StringBuilder();
    var signatures = new ArrayList<String>();
    var types = new ArrayList<String>();
    long[] output = {-1};
    try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(
        MessageCreateParams.builder().model(model).maxTokens(2048).enabledThinking(1024).addUserMessage("count")
            .build())) {
      stream.stream().forEach(event -> {
        event.messageStart().ifPresent(e -> types.add("message_start"));
        event.messageStop().ifPresent(e -> types.add("message_stop"));
        event.messageDelta().ifPresent(d -> output[0] = d.usage().outputTokens());
        event.contentBlockDelta().ifPresent(d -> {
          d.delta().text().ifPresent(t -> text.append(t.text()));
          d.delta().thinking().ifPresent(t -> thinking.append(t.thinking()));
          d.delta().signature().ifPresent(s -> signatures.add(s.signature()));
        });
      });
    }
    return new StreamResult(text.toString(), thinking.toString(), signatures, output[0], types);
  }
}
