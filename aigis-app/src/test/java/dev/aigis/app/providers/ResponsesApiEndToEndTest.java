package dev.aigis.app.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextConfig;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import dev.aigis.app.GatewayFixture;
import dev.aigis.core.usage.TokenCounter;
import dev.aigis.testkit.AzureReply;
import dev.aigis.testkit.Behavior;
import dev.aigis.testkit.FakeAnthropicUpstream;
import dev.aigis.testkit.FakeAzureOpenAiUpstream;
import dev.aigis.testkit.FakeBedrockUpstream;
import dev.aigis.testkit.FakeGeminiUpstream;
import dev.aigis.testkit.FakeOpenAiResponsesUpstream;
import dev.aigis.testkit.FakeOpenAiUpstream;
import dev.aigis.testkit.RecordedRequest;
import dev.aigis.testkit.TestServiceAccount;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official openai-java SDK's Responses client ({@code client.responses()}) through the gateway
 * to every backend schema's fake (Vertex AI included); native passthrough to a server that speaks Responses; and chat
 * and Anthropic clients reaching a Responses-only server ({@code spec.openai.api: Responses}).
 * Every answer and stream event is checked with the SDK's own {@code validate()}, which fails on
 * a missing required field or a wrong type.
 */
class ResponsesApiEndToEndTest {

  static final String BEDROCK_MODEL_ID = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  static final ObjectMapper JSON = new ObjectMapper();

  static FakeOpenAiUpstream chat;
  static FakeAzureOpenAiUpstream azure;
  static FakeAnthropicUpstream claude;
  static FakeBedrockUpstream bedrock;
  static FakeGeminiUpstream gemini;
  static FakeGeminiUpstream vertex;
  static FakeOpenAiResponsesUpstream responses;
  static GatewayFixture gateway;
  static OpenAIClient openai;
  static AnthropicClient anthropic;

  /** One backend schema behind the gateway, named by the model that routes to it. */
  enum Target {
    CHAT("gpt-chat"), AZURE("gpt-azure"), ANTHROPIC("claude-sonnet"), BEDROCK("claude-bedrock"),
    GEMINI("gemini-2.5-flash"), VERTEX("gemini-vertex"), NATIVE("gpt-native");

    final String model;

    Target(String model) {
      this.model = model;
    }

    void scriptText(String text) {
      switch (this) {
        case CHAT -> chat.enqueue(Behavior.ok().withReply(text).withUsage(11, 4));
        case AZURE -> azure.enqueue(AzureReply.text(text).withUsage(11, 4));
        case ANTHROPIC -> claude.script(FakeAnthropicUpstream.Reply.text(text).withUsage(11, 4));
        case BEDROCK -> bedrock.script(FakeBedrockUpstream.Reply.text(text).withUsage(11, 4, 0));
        case GEMINI -> gemini.script(FakeGeminiUpstream.Reply.text(text).withUsage(11, 4, 0, 0));
        case VERTEX -> vertex.script(FakeGeminiUpstream.Reply.text(text).withUsage(11, 4, 0, 0));
        case NATIVE -> responses.script(FakeOpenAiResponsesUpstream.Reply.text(text).withUsage(11, 4, 0));
      }
    }

    void scriptCall(String id, String name, String arguments) {
      switch (this) {
        case CHAT -> chat.enqueue(Behavior.ok().withToolCalls(new Behavior.ToolCall(id, name, arguments)));
        case AZURE -> azure.enqueue(AzureReply.toolCall(id, name, arguments));
        case ANTHROPIC -> claude.script(FakeAnthropicUpstream.Reply.text("").withToolCall(id, name, arguments));
        case BEDROCK -> bedrock.script(FakeBedrockUpstream.Reply.text("").withToolCall(id, name, arguments));
        case GEMINI -> gemini.script(FakeGeminiUpstream.Reply.text("").withCall(name, arguments));
        case VERTEX -> vertex.script(FakeGeminiUpstream.Reply.text("").withCall(name, arguments));
        case NATIVE -> responses.script(FakeOpenAiResponsesUpstream.Reply.text("").withCall(id, name, arguments));
      }
    }

    RecordedRequest lastRequest() {
      return switch (this) {
        case CHAT -> chat.lastRequest();
        case AZURE -> azure.lastRequest();
        case ANTHROPIC -> claude.lastRequest();
        case BEDROCK -> bedrock.lastRequest();
        case GEMINI -> gemini.lastRequest();
        case VERTEX -> vertex.lastRequest();
        case NATIVE -> responses.lastRequest();
      };
    }
  }

  @BeforeAll
  static void start() {
    chat = FakeOpenAiUpstream.start();
    azure = FakeAzureOpenAiUpstream.start("azure-key", Map.of("gpt-4o-prod", "gpt-4o"));
    claude = FakeAnthropicUpstream.start("sk-ant-upstream");
    bedrock = FakeBedrockUpstream.start("AKIAFAKEBEDROCK", "fake/secret+key", "fake-session-token", "eu-west-3");
    gemini = FakeGeminiUpstream.startGemini("AIza-upstream");
    TestServiceAccount account = TestServiceAccount.generate();
    vertex = FakeGeminiUpstream.startVertex(account);
    String keyJson = account.keyJson(vertex.tokenUrl()).replace("\\", "\\\\").replace("\"", "\\\"");
    responses = FakeOpenAiResponsesUpstream.start("sk-responses-upstream");
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
        metadata: {name: keys}
        stringData:
          openai: sk-openai-upstream
          azure: azure-key
          anthropic: sk-ant-upstream
          gemini: AIza-upstream
          responses: sk-responses-upstream
          sa.json: "%8$s"
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: aws}
        stringData: {accessKeyId: AKIAFAKEBEDROCK, secretAccessKey: fake/secret+key, sessionToken: fake-session-token}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: chat}
        spec:
          schema: OpenAI
          endpoint: {url: "%1$s"}
          credentials: {secretRef: {name: keys, key: openai}}
          openai: {api: ChatCompletions}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: azure}
        spec:
          schema: AzureOpenAI
          apiVersion: "2024-10-21"
          endpoint: {url: "%2$s"}
          credentials: {secretRef: {name: keys, key: azure}}
          modelNameOverride: gpt-4o-prod
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: anthropic}
        spec:
          schema: Anthropic
          endpoint: {url: "%3$s"}
          credentials: {secretRef: {name: keys, key: anthropic}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: bedrock}
        spec:
          schema: AWSBedrock
          endpoint: {url: "%4$s"}
          aws: {region: eu-west-3}
          credentials: {secretRef: {name: aws}}
          modelNameOverride: "%7$s"
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: gemini}
        spec:
          schema: Gemini
          endpoint: {url: "%5$s"}
          credentials: {secretRef: {name: keys, key: gemini}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: vertex}
        spec:
          schema: GCPVertexAI
          endpoint: {url: "%9$s"}
          vertex: {project: my-project, location: us-central1}
          credentials: {secretRef: {name: keys, key: sa.json}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: responses-native}
        spec:
          schema: OpenAI
          endpoint: {url: "%6$s"}
          credentials: {secretRef: {name: keys, key: responses}}
        ---
        apiVersion: aigis.dev/v1alpha1
        kind: AIBackend
        metadata: {name: responses-only}
        spec:
          schema: OpenAI
          endpoint: {url: "%6$s"}
          credentials: {secretRef: {name: keys, key: responses}}
          openai: {api: Responses}
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
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-chat}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: chat}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-azure}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: azure}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-sonnet}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: anthropic}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: claude-bedrock}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: bedrock}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gemini-2.5-flash}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: gemini}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gemini-vertex}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: vertex}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-native}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: responses-native}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-native-metered}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: responses-native}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: gpt-responses-only}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: responses-only}]
          - matches: [{headers: [{name: X-Gateway-Model-Name, value: aigis-echo}]}]
            backendRefs: [{group: aigis.dev, kind: AIBackend, name: echo}]
        """.formatted(chat.baseUrl(), azure.baseUrl(), claude.baseUrl(), bedrock.baseUrl(), gemini.baseUrl(),
        responses.baseUrl(), BEDROCK_MODEL_ID, keyJson, vertex.baseUrl()));
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
    chat.close();
    azure.close();
    claude.close();
    bedrock.close();
    gemini.close();
    vertex.close();
    responses.close();
  }

  @BeforeEach
  void clear() {
    chat.reset();
    azure.reset();
    claude.reset();
    bedrock.reset();
    gemini.reset();
    vertex.reset();
    responses.reset();
  }

  // ---- Responses clients on every backend schema ----

  @ParameterizedTest
  @EnumSource(Target.class)
  void plainAnswerIsAResponseWithTextAndUsage(Target target) {
    target.scriptText("Paris is the capital.");

    Response response = openai.responses().create(ResponseCreateParams.builder().model(target.model)
        .instructions("Be brief.").input("Capital of France?").maxOutputTokens(64).build());

    response.validate();
    assertThat(outputText(response)).isEqualTo("Paris is the capital.");
    assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(11);
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(4);
    assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(15);
    assertThat(target.lastRequest().bodyText()).contains("Be brief.").contains("Capital of France?");
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void streamIsTypedEventsInSequenceEndingWithTheCompletedResponse(Target target) {
    target.scriptText("one two three");
    var text = new StringBuilder();
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = openai.responses().createStreaming(
        ResponseCreateParams.builder().model(target.model).input("count").build())) {
      stream.stream().forEach(event -> {
        event.validate();
        events.add(event);
        event.outputTextDelta().ifPresent(delta -> text.append(delta.delta()));
      });
    }
    assertThat(text.toString()).isEqualTo("one two three");
    assertThat(events.getFirst().isCreated()).isTrue();
    Response completed = events.getLast().completed().orElseThrow().response();
    assertThat(outputText(completed)).isEqualTo("one two three");
    assertThat(completed.usage().orElseThrow().inputTokens()).isEqualTo(11);
    assertThat(completed.usage().orElseThrow().outputTokens()).isEqualTo(4);
    List<Long> sequence = events.stream().map(ResponsesApiEndToEndTest::sequenceNumber).toList();
    assertThat(sequence).isSorted().doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void functionCallRoundTrip(Target target) {
    FunctionTool weather = FunctionTool.builder().name("get_weather").description("Weather for a city")
        .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
        .strict(false).build();
    target.scriptCall("call_w1", "get_weather", "{\"city\":\"Paris\"}");

    Response first = openai.responses().create(ResponseCreateParams.builder().model(target.model)
        .input("Weather in Paris?").addTool(weather).build());

    first.validate();
    ResponseFunctionToolCall call = first.output().stream().flatMap(item -> item.functionCall().stream())
        .findFirst().orElseThrow();
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(parse(call.arguments())).isEqualTo(parse("{\"city\":\"Paris\"}"));
    if (target != Target.GEMINI && target != Target.VERTEX) { // Gemini has no call ids; the gateway makes them
      assertThat(call.callId()).isEqualTo("call_w1");
    }

    target.scriptText("It is 18 degrees.");
    Response second = openai.responses().create(ResponseCreateParams.builder().model(target.model)
        .inputOfResponse(List.of(
            ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                .content("Weather in Paris?").build()),
            ResponseInputItem.ofFunctionCall(call),
            ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId()).output("{\"temp_c\":18}").build())))
        .addTool(weather).build());

    second.validate();
    assertThat(outputText(second)).isEqualTo("It is 18 degrees.");
    assertThat(target.lastRequest().bodyText()).contains("temp_c");
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void structuredOutputReachesTheBackendsSchemaSwitch(Target target) {
    target.scriptText("{\"temp_c\":18}");

    Response response = openai.responses().create(ResponseCreateParams.builder().model(target.model)
        .input("Weather as JSON")
        .text(ResponseTextConfig.builder().format(ResponseFormatTextConfig.ofJsonSchema(
            ResponseFormatTextJsonSchemaConfig.builder().name("forecast").strict(true)
                .schema(ResponseFormatTextJsonSchemaConfig.Schema.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("temp_c", Map.of("type", "number"))))
                    .build())
                .build())).build())
        .build());

    response.validate();
    assertThat(outputText(response)).isEqualTo("{\"temp_c\":18}");
    JsonNode sent = target.lastRequest().json();
    switch (target) {
      case CHAT, AZURE -> assertThat(sent.path("response_format").path("json_schema").path("name").asText())
          .isEqualTo("forecast");
      case ANTHROPIC -> assertThat(sent.path("output_config").path("format").path("schema").path("properties")
          .has("temp_c")).isTrue();
      case BEDROCK -> assertThat(sent.path("outputConfig").path("textFormat").path("structure").path("jsonSchema")
          .path("schema").asText()).contains("temp_c");
      case GEMINI, VERTEX -> assertThat(sent.path("generationConfig").path("responseMimeType").asText())
          .isEqualTo("application/json");
      default -> assertThat(sent.path("text").path("format").path("name").asText()).isEqualTo("forecast");
    }
  }

  @Test
  void aProviderErrorInsideTheStreamReachesTheSdkAsAnError() {
    claude.script(FakeAnthropicUpstream.Reply.text("partial answer here").withErrorEvent(1, "overloaded_error", "Overloaded"));
    var text = new StringBuilder();

    assertThatThrownBy(() -> {
      try (StreamResponse<ResponseStreamEvent> stream = openai.responses().createStreaming(
          ResponseCreateParams.builder().model("claude-sonnet").input("hi").build())) {
        stream.stream().forEach(event -> event.outputTextDelta().ifPresent(delta -> text.append(delta.delta())));
      }
    }).isInstanceOf(OpenAIException.class).hasMessageContaining("Overloaded");
    assertThat(text.toString()).isEqualTo("partial");
  }

  @Test
  void aStreamThatFailsEndsWithResponseFailed() {
    claude.script(FakeAnthropicUpstream.Reply.text("partial answer here").withErrorEvent(1, "overloaded_error", "Overloaded"));

    HttpResponse<String> answer = gateway.post("/v1/responses",
        "{\"model\":\"claude-sonnet\",\"input\":\"hi\",\"stream\":true}");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).startsWith("event: response.created\n").endsWith(
        "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"object\":\"response\","
            + "\"status\":\"failed\",\"error\":{\"code\":\"overloaded_error\",\"message\":\"Overloaded\"},"
            + "\"incomplete_details\":null,\"output\":[]},\"error\":{\"message\":\"Overloaded\","
            + "\"type\":\"overloaded_error\",\"param\":null,\"code\":\"overloaded_error\"}}\n\n");
  }

  @Test
  void theEchoModelAnswersResponsesClientsPlainAndStreamed() {
    Response plain = openai.responses().create(ResponseCreateParams.builder().model("aigis-echo")
        .input("echo me").build());
    plain.validate();
    assertThat(outputText(plain)).contains("echo me");

    var text = new StringBuilder();
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = openai.responses().createStreaming(
        ResponseCreateParams.builder().model("aigis-echo").input("echo me").build())) {
      stream.stream().forEach(event -> {
        event.validate();
        events.add(event);
        event.outputTextDelta().ifPresent(delta -> text.append(delta.delta()));
      });
    }
    assertThat(text.toString()).isEqualTo(outputText(plain));
    assertThat(events.getLast().completed().orElseThrow().response().usage()).isPresent();
  }

  // ---- native passthrough ----

  @Test
  void aStatefulRequestPassesUntouchedToAServerThatSpeaksResponses() {
    responses.script(FakeOpenAiResponsesUpstream.Reply.text("Continuing.").withUsage(11, 4, 0));
    String body = "{\"model\":\"gpt-native\",\"input\":\"and then?\",\"store\":true,"
        + "\"previous_response_id\":\"resp_earlier\",\"tools\":[{\"type\":\"web_search\"}]}";

    HttpResponse<String> answer = gateway.post("/v1/responses", body);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(responses.lastRequest().path()).isEqualTo("/v1/responses");
    assertThat(responses.lastRequest().bodyText()).isEqualTo(body);
    assertThat(responses.lastRequest().header("authorization")).isEqualTo("Bearer sk-responses-upstream");
    assertThat(answer.body()).contains("\"text\":\"Continuing.\"");
  }

  @Test
  void nativeUsageIsReadFromThePlainAnswerAndFromResponseCompleted() {
    responses.script(FakeOpenAiResponsesUpstream.Reply.text("plain").withUsage(11, 4, 0));
    responses.script(FakeOpenAiResponsesUpstream.Reply.text("streamed answer").withUsage(20, 6, 0));

    assertThat(gateway.post("/v1/responses", "{\"model\":\"gpt-native-metered\",\"input\":\"a\"}").statusCode())
        .isEqualTo(200);
    HttpResponse<String> streamed = gateway.post("/v1/responses",
        "{\"model\":\"gpt-native-metered\",\"input\":\"b\",\"stream\":true}");

    assertThat(streamed.body()).startsWith("event: response.created\n").contains("event: response.completed\n");
    String labels = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-native-metered\"";
    String metrics = awaitMetric("gen_ai_client_token_usage_count{" + labels + ",gen_ai_token_type=\"output\"}", "2");
    assertThat(metric(metrics, "gen_ai_client_token_usage_sum{" + labels + ",gen_ai_token_type=\"input\"}"))
        .isEqualTo("31.0");
    assertThat(metric(metrics, "gen_ai_client_token_usage_sum{" + labels + ",gen_ai_token_type=\"output\"}"))
        .isEqualTo("10.0");
  }

  @Test
  void inputTokensPassNativelyOrAreCountedByTheGateway() {
    HttpResponse<String> native_ = gateway.post("/v1/responses/input_tokens",
        "{\"model\":\"gpt-native\",\"input\":\"hello there\"}");
    assertThat(native_.statusCode()).isEqualTo(200);
    assertThat(native_.body()).isEqualTo("{\"object\":\"response.input_tokens\",\"input_tokens\":42}");
    assertThat(responses.lastRequest().path()).isEqualTo("/v1/responses/input_tokens");

    HttpResponse<String> counted = gateway.post("/v1/responses/input_tokens",
        "{\"model\":\"claude-sonnet\",\"instructions\":\"Be brief.\",\"input\":\"hello there\"}");
    assertThat(counted.statusCode()).isEqualTo(200);
    long expected = TokenCounter.count("Be brief.") + TokenCounter.count("hello there");
    assertThat(counted.body()).isEqualTo("{\"object\":\"response.input_tokens\",\"input_tokens\":" + expected + "}");
    assertThat(claude.requests()).isEmpty();
  }

  // ---- refusals when translating ----

  @Test
  void previousResponseIdToATranslatedBackendIsA400NamingIt() {
    HttpResponse<String> answer = gateway.post("/v1/responses",
        "{\"model\":\"claude-sonnet\",\"input\":\"and then?\",\"previous_response_id\":\"resp_1\"}");

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).isEqualTo("{\"error\":{\"message\":\"'previous_response_id' needs a backend that speaks"
        + " the Responses API; this backend is reached through translation and keeps no state (send the whole"
        + " conversation in 'input')\",\"type\":\"invalid_request_error\",\"param\":\"previous_response_id\","
        + "\"code\":\"invalid_request\"}}");
    assertThat(claude.requests()).isEmpty();
  }

  @Test
  void aBuiltInToolToATranslatedBackendIsA400NamingIt() {
    HttpResponse<String> answer = gateway.post("/v1/responses",
        "{\"model\":\"gemini-2.5-flash\",\"input\":\"news?\",\"tools\":[{\"type\":\"web_search\"}]}");

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).isEqualTo("{\"error\":{\"message\":\"tool type 'web_search' in 'tools[0]' is a built-in"
        + " tool that a backend reached through translation cannot run; only function tools are supported\","
        + "\"type\":\"invalid_request_error\",\"param\":\"tools[0].type\",\"code\":\"invalid_request\"}}");
    assertThat(gemini.requests()).isEmpty();
  }

  @Test
  void storeTrueToAChatOnlyOpenAiServerIsA400() {
    HttpResponse<String> answer = gateway.post("/v1/responses",
        "{\"model\":\"gpt-chat\",\"input\":\"hi\",\"store\":true}");

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("\"param\":\"store\"");
    assertThat(chat.lastRequest()).isNull();
  }

  // ---- chat and Anthropic clients to a Responses-only server ----

  @Test
  void chatClientsReachAResponsesOnlyServer() {
    responses.script(FakeOpenAiResponsesUpstream.Reply.text("Bonjour").withReasoning("Greeting.").withUsage(9, 2, 4));

    ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-responses-only").addSystemMessage("Answer in French.").addUserMessage("Hello")
        .maxCompletionTokens(50).build());

    assertThat(completion.choices().getFirst().message().content()).contains("Bonjour");
    assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(9);
    assertThat(completion.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens()).contains(4L);
    RecordedRequest sent = responses.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1/responses");
    assertThat(sent.json()).isEqualTo(parse("{\"model\":\"gpt-responses-only\",\"input\":["
        + "{\"type\":\"message\",\"role\":\"system\",\"content\":\"Answer in French.\"},"
        + "{\"type\":\"message\",\"role\":\"user\",\"content\":\"Hello\"}],"
        + "\"max_output_tokens\":50,\"store\":false}"));
  }

  @Test
  void chatClientsStreamFromAResponsesOnlyServer() {
    responses.script(FakeOpenAiResponsesUpstream.Reply.text("one two three").withUsage(7, 3, 0));
    var text = new StringBuilder();
    List<Long> usage = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("gpt-responses-only").addUserMessage("count")
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
    assertThat(responses.lastRequest().json().path("stream").asBoolean()).isTrue();
  }

  @Test
  void anthropicClientsReachAResponsesOnlyServer() {
    responses.script(FakeOpenAiResponsesUpstream.Reply.text("Bonjour").withUsage(11, 2, 0));

    Message message = anthropic.messages().create(MessageCreateParams.builder()
        .model("gpt-responses-only").maxTokens(50).system("Answer in French.").addUserMessage("Hello").build());

    assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo("Bonjour");
    assertThat(message.usage().inputTokens()).isEqualTo(11);
    assertThat(message.usage().outputTokens()).isEqualTo(2);
    assertThat(responses.lastRequest().json().path("max_output_tokens").asInt()).isEqualTo(50);
  }

  @Test
  void anthropicClientsStreamFromAResponsesOnlyServer() {
    responses.script(FakeOpenAiResponsesUpstream.Reply.text("one two three").withUsage(7, 3, 0));
    var text = new StringBuilder();
    List<String> types = new ArrayList<>();
    try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(
        MessageCreateParams.builder().model("gpt-responses-only").maxTokens(50).addUserMessage("count").build())) {
      stream.stream().forEach(event -> {
        event.messageStart().ifPresent(e -> types.add("message_start"));
        event.messageStop().ifPresent(e -> types.add("message_stop"));
        event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(d -> text.append(d.text()));
      });
    }
    assertThat(text.toString()).isEqualTo("one two three");
    assertThat(types).startsWith("message_start").endsWith("message_stop");
  }

  // ---- helpers ----

  private static String outputText(Response response) {
    var text = new StringBuilder();
    for (ResponseOutputItem item : response.output()) {
      item.message().ifPresent(message -> message.content().forEach(
          content -> content.outputText().ifPresent(part -> text.append(part.text()))));
    }
    return text.toString();
  }

  private static long sequenceNumber(ResponseStreamEvent event) {
    return com.openai.core.ObjectMappers.jsonMapper().valueToTree(event).path("sequence_number").asLong(-1);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String metric(String metrics, String series) {
    return metrics.lines().filter(l -> l.startsWith(series + " ")).map(l -> l.substring(series.length() + 1))
        .findFirst().orElse(null);
  }

  /** The metrics once {@code series} has {@code value}, polling up to 5 s (recorded just after the last byte). */
  private static String awaitMetric(String series, String value) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    String metrics = gateway.admin("/metrics").body();
    while (!value.equals(metric(metrics, series)) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      metrics = gateway.admin("/metrics").body();
    }
    return metrics;
  }
}
