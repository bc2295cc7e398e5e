package dev.aigis.core.backend;

import static dev.aigis.core.backend.Backends.backend;
import static dev.aigis.core.backend.Backends.bytes;
import static dev.aigis.core.backend.Backends.request;
import static dev.aigis.core.backend.Backends.target;
import static dev.aigis.core.backend.Backends.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.model.backend.ApiSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Native passthrough: the body goes as the processors left it, rewritten only when the gateway needs it. */
class NativeAdapterTest {

  private static final String STREAMED_CHAT = """
      {"model": "gpt-4o", "stream": true, "messages": [{"role": "user", "content": "hi"}]}
      """;

  private static final String ANTHROPIC_STREAMED = """
      {"model": "claude-sonnet-4-5", "max_tokens": 64, "stream": true,
       "messages": [{"role": "user", "content": "my password is hunter2"}]}
      """;

  private static NativeAdapter adapter(ApiEndpoint endpoint, ApiSchema schema, OpenAiRequest inspected) {
    return new NativeAdapter(endpoint, schema, inspected, Backends.NAME);
  }

  private static JsonNode json(byte[] body) throws Exception {
    return Json.MAPPER.readTree(body);
  }

  private static JsonNode json(String body) throws Exception {
    return Json.MAPPER.readTree(body);
  }

  @Test
  void aStreamedOpenAiChatAsksForUsageWhenTheClientDidNot() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions", STREAMED_CHAT);

    UpstreamCall call = adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, new OpenAiRequest("gpt-4o", true, false))
        .prepare(request, target(backend(ApiSchema.OpenAI), "", "sk-1", null));

    assertThat(json(call.body())).isEqualTo(json("""
        {"model": "gpt-4o", "stream": true, "messages": [{"role": "user", "content": "hi"}],
         "stream_options": {"include_usage": true}}
        """));
  }

  @Test
  void otherStreamOptionsAreKeptWhenUsageIsAskedFor() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.COMPLETIONS, "/v1/completions", """
        {"model": "gpt-3.5-turbo-instruct", "prompt": "hi", "stream": true, "stream_options": {"include_obfuscation": false}}
        """);

    UpstreamCall call = adapter(ApiEndpoint.COMPLETIONS, ApiSchema.OpenAI, new OpenAiRequest("gpt-3.5-turbo-instruct", true, false))
        .prepare(request, target(backend(ApiSchema.OpenAI), "", "sk-1", null));

    assertThat(json(call.body()).path("stream_options")).isEqualTo(json("""
        {"include_obfuscation": false, "include_usage": true}
        """));
  }

  @Test
  void theClientsBytesGoAsTheyAreWhenNoRewriteIsNeeded() throws Exception {
    String asked = """
        {"model": "gpt-4o", "stream": true, "stream_options": {"include_usage": true}, "messages": []}
        """;
    ProcessedRequest askedForUsage = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions", asked);
    ProcessedRequest notStreamed = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions", "{\"model\":\"gpt-4o\"}");
    ProcessedRequest otherPath = request(ApiEndpoint.PASSTHROUGH, "/v1/responses", "{\"model\":\"gpt-4o\",\"stream\":true}");
    ProcessedRequest sameModel = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions", "{\"model\":\"gpt-4o\"}");
    BackendTarget target = target(backend(ApiSchema.OpenAI), "", "sk-1", null);

    UpstreamCall a = adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, new OpenAiRequest("gpt-4o", true, true))
        .prepare(askedForUsage, target);
    UpstreamCall b = adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, new OpenAiRequest("gpt-4o", false, false))
        .prepare(notStreamed, target);
    UpstreamCall c = adapter(ApiEndpoint.PASSTHROUGH, ApiSchema.OpenAI, new OpenAiRequest("gpt-4o", true, false))
        .prepare(otherPath, target);
    UpstreamCall d = adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, new OpenAiRequest("gpt-4o", false, false))
        .prepare(sameModel, target(backend(ApiSchema.OpenAI, "gpt-4o", null), "", "sk-1", null));

    assertThat(a.body()).isSameAs(askedForUsage.body());
    assertThat(b.body()).isSameAs(notStreamed.body());
    assertThat(c.body()).isSameAs(otherPath.body());
    assertThat(d.body()).as("an override naming the same model").isSameAs(sameModel.body());
  }

  @Test
  void theBackendsModelOverrideReplacesTheModel() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions",
        "{\"model\":\"gpt-4o\",\"messages\":[]}");

    UpstreamCall call = adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, new OpenAiRequest("gpt-4o", false, false))
        .prepare(request, target(backend(ApiSchema.OpenAI, "gpt-4o-2024-08-06", null), "", "sk-1", null));

    assertThat(json(call.body())).isEqualTo(json("{\"model\":\"gpt-4o-2024-08-06\",\"messages\":[]}"));
  }

  @Test
  void anAnthropicStreamIsNotRewrittenAndGetsTheDefaultApiVersion() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.ANTHROPIC_MESSAGES, "/v1/messages", ANTHROPIC_STREAMED);

    UpstreamCall call = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.Anthropic, new OpenAiRequest("claude-sonnet-4-5", true, false))
        .prepare(request, target(backend(ApiSchema.Anthropic), "", "sk-ant", null));

    assertThat(call.body()).isSameAs(request.body());
    assertThat(call.headers()).isEqualTo(Map.of("x-api-key", "sk-ant", "anthropic-version", "2023-06-01"));
  }

  @Test
  void theAnthropicVersionComesFromTheBackendAndIsNotSetWhenTheClientSentOne() throws Exception {
    var inspected = new OpenAiRequest("claude-sonnet-4-5", true, false);
    BackendTarget target = target(backend(ApiSchema.Anthropic, null, "2024-10-22"), "", "sk-ant", null);

    UpstreamCall configured = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.Anthropic, inspected)
        .prepare(request(ApiEndpoint.ANTHROPIC_MESSAGES, "/v1/messages", ANTHROPIC_STREAMED), target);
    UpstreamCall clientSent = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.Anthropic, inspected)
        .prepare(request(ApiEndpoint.ANTHROPIC_MESSAGES, "/v1/messages", ANTHROPIC_STREAMED,
            "Anthropic-Version", "2023-01-01"), target);

    assertThat(configured.headers()).containsEntry("anthropic-version", "2024-10-22");
    // The client's own header is forwarded with the others; the adapter adds none.
    assertThat(clientSent.headers()).isEqualTo(Map.of("x-api-key", "sk-ant"));
  }

  @Test
  void credentialsFollowTheSchemasStrategy() throws Exception {
    ProcessedRequest openAi = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions", "{}");
    ProcessedRequest anonymous = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions", "{}");
    var inspected = new OpenAiRequest(null, false, false);

    UpstreamCall bearer = adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, inspected)
        .prepare(openAi, target(backend(ApiSchema.OpenAI), "", "sk-1", null));
    UpstreamCall none = adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, inspected)
        .prepare(anonymous, target(backend(ApiSchema.OpenAI), "", null, null));

    assertThat(bearer.headers()).isEqualTo(Map.of("Authorization", "Bearer sk-1"));
    assertThat(none.headers()).isEmpty();
  }

  @Test
  void thePathIsTheBasePathThenTheRequestPathThenTheQuery() throws Exception {
    var inspected = new OpenAiRequest(null, false, false);
    NativeAdapter adapter = adapter(ApiEndpoint.MODELS, ApiSchema.OpenAI, inspected);
    var context = new dev.aigis.core.exchange.ExchangeContext("req-1", ApiEndpoint.MODELS, null);
    var get = new ProcessedRequest(context, "GET", "/v1/models", dev.aigis.core.processing.HeaderList.of(), null, null);

    UpstreamCall withQuery = adapter.prepare(get, target(backend(ApiSchema.OpenAI), "/proxy", "sk-1", "limit=5&after=m1"));
    UpstreamCall withoutQuery = adapter.prepare(get, target(backend(ApiSchema.OpenAI), "", "sk-1", null));

    assertThat(withQuery.method()).isEqualTo("GET");
    assertThat(withQuery.pathAndQuery()).isEqualTo("/proxy/v1/models?limit=5&after=m1");
    assertThat(withQuery.body()).as("nothing buffered: the client's body streams through").isNull();
    assertThat(withoutQuery.pathAndQuery()).isEqualTo("/v1/models");
  }

  @Test
  void anEditedPivotIsTheOpenAiChatRequest() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions", STREAMED_CHAT);
    ObjectNode pivot = request.context().pivot().request();
    pivot.withArray("messages").insertObject(0).put("role", "system").put("content", "Be brief.");
    request.context().pivot().edited();

    UpstreamCall call = adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, new OpenAiRequest("gpt-4o", true, false))
        .prepare(request, target(backend(ApiSchema.OpenAI), "", "sk-1", null));

    assertThat(json(call.body())).isEqualTo(json("""
        {"model": "gpt-4o", "stream": true,
         "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}],
         "stream_options": {"include_usage": true}}
        """));
  }

  @Test
  void anEditedPivotOfALegacyCompletionStaysACompletionsRequest() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.COMPLETIONS, "/v1/completions",
        "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"my password is hunter2\"}");
    ObjectNode pivot = request.context().pivot().request();
    ((ObjectNode) pivot.withArray("messages").get(0)).put("content", "my password is [redacted]");
    request.context().pivot().edited();

    UpstreamCall call = adapter(ApiEndpoint.COMPLETIONS, ApiSchema.OpenAI, new OpenAiRequest("gpt-3.5-turbo-instruct", false, false))
        .prepare(request, target(backend(ApiSchema.OpenAI), "", "sk-1", null));

    assertThat(call.pathAndQuery()).isEqualTo("/v1/completions");
    assertThat(json(call.body()).has("messages")).isFalse();
    assertThat(json(call.body()).path("prompt").asText()).isEqualTo("my password is [redacted]");
  }

  @Test
  void anEditedPivotReachesANativeAnthropicBackend() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.ANTHROPIC_MESSAGES, "/v1/messages", ANTHROPIC_STREAMED);
    ObjectNode pivot = request.context().pivot().request();
    ((ObjectNode) pivot.withArray("messages").get(0)).put("content", "my password is [redacted]");
    request.context().pivot().edited();

    UpstreamCall call = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.Anthropic, new OpenAiRequest("claude-sonnet-4-5", true, false))
        .prepare(request, target(backend(ApiSchema.Anthropic), "", "sk-ant", null));

    assertThat(text(call.body())).contains("my password is [redacted]").doesNotContain("hunter2");
  }

  @Test
  void eachAnswerGetsItsProvidersDecoder() {
    var streamed = new OpenAiRequest("m", true, false);

    assertThat(adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, streamed).decoder("text/event-stream; charset=utf-8"))
        .isInstanceOf(OpenAiEventDecoder.class);
    assertThat(adapter(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.Anthropic, streamed).decoder("text/event-stream"))
        .isInstanceOf(AnthropicEventDecoder.class);
    assertThat(adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, streamed).decoder("application/json"))
        .isInstanceOf(PassthroughBodyDecoder.class);
    assertThat(adapter(ApiEndpoint.PASSTHROUGH, ApiSchema.OpenAI, streamed).decoder("text/event-stream"))
        .as("a stream of another OpenAI API passes as body chunks").isInstanceOf(PassthroughBodyDecoder.class);
  }

  @Test
  void aJsonErrorPassesAsItIsAndAnythingElseIsReplaced() {
    NativeAdapter adapter = adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, new OpenAiRequest("m", false, false));

    assertThat(adapter.upstreamError(429, "application/json; charset=utf-8", Backends.bytes("{\"error\":{}}"))).isNull();
    assertThat(adapter.upstreamError(429, "Application/JSON", Backends.bytes("{\"error\":{}}"))).isNull();
    assertThat(adapter.upstreamError(503, "text/html", Backends.bytes("<html>")))
        .isEqualTo(new GatewayError.UpstreamStatus(Backends.NAME, 503));
    assertThat(adapter.upstreamError(502, null, new byte[0])).isEqualTo(new GatewayError.UpstreamStatus(Backends.NAME, 502));
    assertThat(adapter.translatesErrors()).isFalse();
    assertThat(adapter.nativeApi()).isTrue();
  }

  @Test
  void aWholeChatAnswerHasAPivotAndOtherAnswersHaveNone() {
    byte[] openAi = bytes("{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hey\"}}]}");
    assertThat(adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, OpenAiRequest.EMPTY).decoder("application/json")
        .pivotOfWhole(openAi).at("/choices/0/message/content").asText()).isEqualTo("hey");

    byte[] anthropic = bytes("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"salut\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}");
    assertThat(adapter(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.Anthropic, OpenAiRequest.EMPTY).decoder("application/json")
        .pivotOfWhole(anthropic).at("/choices/0/message/content").asText()).isEqualTo("salut");

    assertThat(adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, OpenAiRequest.EMPTY).decoder("application/json")
        .pivotOfWhole(bytes("<html>bad gateway</html>"))).as("not JSON: none, bytes pass as received").isNull();
    assertThat(adapter(ApiEndpoint.EMBEDDINGS, ApiSchema.OpenAI, OpenAiRequest.EMPTY).decoder("application/json")
        .pivotOfWhole(bytes("{\"object\":\"list\",\"data\":[]}"))).as("not a chat answer").isNull();
  }

  private static dev.aigis.model.snapshot.ResolvedBackend anthropicWithBetas(java.util.List<String> betas) {
    var base = backend(ApiSchema.Anthropic);
    var b = base.backend();
    return new dev.aigis.model.snapshot.ResolvedBackend(new dev.aigis.model.AIBackend(b.metadata(), b.source(),
        b.schema(), b.endpoint(), b.credentials(), b.modelNameOverride(), false, b.timeouts(), b.apiVersion(),
        b.awsRegion(), b.vertex(), b.traffic(), b.backendRef(),
        new dev.aigis.model.backend.ProviderOptions(null, betas)), "sk-test", null, null, null);
  }

  @Test
  void anthropicBetasPassUnfilteredUnlessTheBackendListsTheAllowedOnes() throws Exception {
    var inspected = new OpenAiRequest("claude-sonnet-4-5", true, false);
    String beta = "context-1m-2025-08-07,unknown-2099-01-01";
    ProcessedRequest request = request(ApiEndpoint.ANTHROPIC_MESSAGES, "/v1/messages", ANTHROPIC_STREAMED,
        "anthropic-beta", beta);

    UpstreamCall unfiltered = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.Anthropic, inspected)
        .prepare(request, target(backend(ApiSchema.Anthropic), "", "sk-1", null));
    UpstreamCall filtered = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.Anthropic, inspected)
        .prepare(request, target(anthropicWithBetas(java.util.List.of("context-1m-*")), "", "sk-1", null));
    UpstreamCall none = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.Anthropic, inspected)
        .prepare(request, target(anthropicWithBetas(java.util.List.of("output-128k-2025-02-19")), "", "sk-1", null));

    assertThat(unfiltered.headers()).doesNotContainKey("anthropic-beta"); // the client's header goes as sent
    assertThat(filtered.headers()).containsEntry("anthropic-beta", "context-1m-2025-08-07");
    assertThat(none.headers()).containsEntry("anthropic-beta", ""); // empty: the leg removes the client's header
  }

  @Test
  void maxTokensToAnOpenAiReasoningModelIsSentAsMaxCompletionTokens() throws Exception {
    String body = "{\"model\":\"o3-mini\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    ProcessedRequest request = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions", body);

    UpstreamCall call = adapter(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI, new OpenAiRequest("o3-mini", false, false))
        .prepare(request, target(backend(ApiSchema.OpenAI), "", "sk-1", null));

    assertThat(json(call.body())).isEqualTo(json(
        "{\"model\":\"o3-mini\",\"max_completion_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
  }

  @Test
  void systemMessagesInsideAnAnthropicBodyAreFoldedAndOtherBodiesPassByteForByte() throws Exception {
    var inspected = new OpenAiRequest("claude-sonnet-4-5", false, false);
    String agent = """
        {"model":"claude-sonnet-4-5","max_tokens":5,"system":"Be brief.",
         "messages":[{"role":"user","content":"hi"},{"role":"system","content":"cwd is /repo"}]}
        """;
    String plain = """
        {"model":"claude-sonnet-4-5","max_tokens":5,  "messages":[{"role":"user","content":"say \\"system\\""}],"system":"x"}
        """;

    UpstreamCall folded = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.Anthropic, inspected)
        .prepare(request(ApiEndpoint.ANTHROPIC_MESSAGES, "/v1/messages", agent),
            target(backend(ApiSchema.Anthropic), "", "sk-1", null));
    UpstreamCall untouched = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.Anthropic, inspected)
        .prepare(request(ApiEndpoint.ANTHROPIC_MESSAGES, "/v1/messages", plain),
            target(backend(ApiSchema.Anthropic), "", "sk-1", null));

    assertThat(json(folded.body())).isEqualTo(json("""
        {"model":"claude-sonnet-4-5","max_tokens":5,
         "system":[{"type":"text","text":"Be brief."},{"type":"text","text":"cwd is /repo"}],
         "messages":[{"role":"user","content":"hi"}]}
        """));
    assertThat(text(untouched.body())).isEqualTo(plain);
  }
}
