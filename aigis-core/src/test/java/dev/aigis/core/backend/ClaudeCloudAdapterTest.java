package dev.aigis.core.backend;

import static dev.aigis.core.backend.Backends.request;
import static dev.aigis.core.backend.Backends.target;
import static dev.aigis.core.backend.Backends.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.usage.TokenUsage;
import dev.aigis.model.AIBackend;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.ProviderOptions;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/** Anthropic clients to Claude on Vertex AI and on Bedrock InvokeModel: the envelope, betas, answers. */
class ClaudeCloudAdapterTest {

  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2025-01-01T00:00:00Z"));
  private static final String VERTEX_MODEL = "claude-sonnet-4-5@20250929";
  private static final String BEDROCK_MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

  /** What Claude Code sends: a system message inside messages, thinking, cache_control, a newer field. */
  private static final String CLAUDE_CODE = """
      {"model": "%s", "max_tokens": 1024, "stream": %s,
       "system": [{"type": "text", "text": "You are Claude Code.", "cache_control": {"type": "ephemeral"}}],
       "thinking": {"type": "enabled", "budget_tokens": 1024},
       "messages": [
         {"role": "user", "content": "List the files."},
         {"role": "system", "content": "cwd is /repo"}
       ],
       "future_field": {"x": 1}}
      """;

  private static final String BETAS = "interleaved-thinking-2025-05-14, not-a-real-beta-2099-01-01";

  private static Route route(ApiEndpoint endpoint, ResolvedBackend backend, String model, boolean stream) {
    return BackendAdapters.route(endpoint, backend, new OpenAiRequest(model, stream, false), true, CLOCK);
  }

  private static BackendAdapter adapter(ApiEndpoint endpoint, ResolvedBackend backend, String model, boolean stream) {
    Route route = route(endpoint, backend, model, stream);
    assertThat(route).isInstanceOf(Route.Upstream.class);
    BackendAdapter adapter = ((Route.Upstream) route).adapter();
    assertThat(adapter).isInstanceOf(ClaudeCloudAdapter.class);
    return adapter;
  }

  private static JsonNode json(byte[] body) throws Exception {
    return Json.MAPPER.readTree(body);
  }

  private static JsonNode json(String body) throws Exception {
    return Json.MAPPER.readTree(body);
  }

  @Test
  void anthropicClientsReachClaudeOnVertexWithTheBodyKeptAndReEnveloped() throws Exception {
    var backend = Backends.backend(ApiSchema.GCPVertexAI);
    var adapter = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, backend, VERTEX_MODEL, true);

    UpstreamCall call = adapter.prepare(request(ApiEndpoint.ANTHROPIC_MESSAGES, "/v1/messages",
        CLAUDE_CODE.formatted(VERTEX_MODEL, true), "anthropic-beta", BETAS, "anthropic-version", "2023-06-01"),
        target(backend, "", "ya29.token", null));

    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.pathAndQuery()).isEqualTo(
        "/v1/projects/project-1/locations/us-central1/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict");
    assertThat(call.headers()).isEqualTo(Map.of("content-type", "application/json",
        "anthropic-beta", "interleaved-thinking-2025-05-14", "Authorization", "Bearer ya29.token"));
    assertThat(json(call.body())).isEqualTo(json("""
        {"anthropic_version": "vertex-2023-10-16", "max_tokens": 1024, "stream": true,
         "system": [{"type": "text", "text": "You are Claude Code.", "cache_control": {"type": "ephemeral"}},
                    {"type": "text", "text": "cwd is /repo"}],
         "thinking": {"type": "enabled", "budget_tokens": 1024},
         "messages": [{"role": "user", "content": "List the files."}],
         "future_field": {"x": 1}}
        """));
    assertThat(adapter.nativeApi()).isFalse();
    assertThat(adapter.streams()).isTrue();
    assertThat(adapter.decoder("text/event-stream")).isInstanceOf(AnthropicEventDecoder.class);
  }

  @Test
  void aPlainVertexAnswerIsAnthropicsOwnWithItsUsageRead() throws Exception {
    var backend = Backends.backend(ApiSchema.GCPVertexAI);
    var adapter = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, backend, VERTEX_MODEL, false);
    UpstreamCall call = adapter.prepare(request(ApiEndpoint.ANTHROPIC_MESSAGES, "/v1/messages",
        "{\"model\":\"" + VERTEX_MODEL + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        target(backend, "", "ya29.token", null));
    assertThat(call.pathAndQuery()).endsWith("/models/claude-sonnet-4-5@20250929:rawPredict");
    assertThat(call.headers()).doesNotContainKey("anthropic-beta");

    var decoder = adapter.decoder("application/json");
    var sink = new Backends.Collected();
    String answer = """
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hi"}],
         "stop_reason":"end_turn","usage":{"input_tokens":5,"cache_creation_input_tokens":7,"cache_read_input_tokens":11,"output_tokens":2}}
        """;
    decoder.bytes(Backends.bytes(answer), sink);
    decoder.end(sink);

    assertThat(sink.joined()).isEqualTo(answer);
    assertThat(decoder.usage()).isEqualTo(new TokenUsage(23, 2, 25, 11, 0, 7));
  }

  @Test
  void countTokensGoesToVertexsCounterWithTheModelInTheBody() throws Exception {
    var backend = Backends.backend(ApiSchema.GCPVertexAI);
    var adapter = adapter(ApiEndpoint.ANTHROPIC_COUNT_TOKENS, backend, VERTEX_MODEL, false);

    UpstreamCall call = adapter.prepare(request(ApiEndpoint.ANTHROPIC_COUNT_TOKENS, "/v1/messages/count_tokens",
        "{\"model\":\"" + VERTEX_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        target(backend, "", "ya29.token", null));

    assertThat(call.pathAndQuery()).isEqualTo(
        "/v1/projects/project-1/locations/us-central1/publishers/anthropic/models/count-tokens:rawPredict");
    assertThat(json(call.body())).isEqualTo(json(
        "{\"model\":\"" + VERTEX_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertThat(adapter.streams()).isFalse();
  }

  @Test
  void vertexErrorsKeepTheirStatusAndMessageInEitherShape() {
    GatewayError anthropic = ClaudeCloudAdapter.vertexError(529, Backends.bytes(
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    GatewayError google = ClaudeCloudAdapter.vertexError(429, Backends.bytes(
        "{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\"}}"));
    GatewayError other = ClaudeCloudAdapter.vertexError(502, Backends.bytes("<html>"));

    assertThat(anthropic).isEqualTo(new GatewayError.ProviderError(529, "overloaded_error", "Overloaded", "anthropic"));
    assertThat(google).isEqualTo(new GatewayError.ProviderError(429, "rate_limit_error", "RESOURCE_EXHAUSTED",
        "Quota exceeded", "gcp.vertex_ai"));
    assertThat(other).isEqualTo(new GatewayError.UpstreamStatus("gcp.vertex_ai", 502));
  }

  @Test
  void geminiModelsOnVertexAndOpenAiClientsAreNotEnvelopedHere() throws Exception {
    var backend = Backends.backend(ApiSchema.GCPVertexAI);
    Route gemini = route(ApiEndpoint.ANTHROPIC_MESSAGES, backend, "gemini-2.5-pro", false);
    Route openAi = route(ApiEndpoint.CHAT_COMPLETIONS, backend, VERTEX_MODEL, false);

    assertThat(((Route.Upstream) gemini).adapter()).isInstanceOf(TranslatingAdapter.class);
    assertThat(((Route.Upstream) openAi).adapter()).isInstanceOf(TranslatingAdapter.class);
    UpstreamCall call = ((Route.Upstream) openAi).adapter().prepare(request(ApiEndpoint.CHAT_COMPLETIONS,
        "/v1/chat/completions", "{\"model\":\"" + VERTEX_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        target(backend, "", "ya29.token", null));
    assertThat(call.pathAndQuery()).endsWith("/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict");
    assertThat(json(call.body())).isEqualTo(json("""
        {"anthropic_version": "vertex-2023-10-16", "max_tokens": 4096,
         "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]}
        """));
  }

  @Test
  void anthropicClientsReachClaudeOnBedrockThroughInvokeModelSigned() throws Exception {
    var backend = Backends.backend(ApiSchema.AWSBedrock);
    var adapter = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, backend, BEDROCK_MODEL, true);

    UpstreamCall call = adapter.prepare(request(ApiEndpoint.ANTHROPIC_MESSAGES, "/v1/messages",
        CLAUDE_CODE.formatted(BEDROCK_MODEL, true), "anthropic-beta", BETAS), target(backend, "", null, null));

    assertThat(call.pathAndQuery()).isEqualTo(
        "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");
    assertThat(call.headers()).containsEntry("accept", "application/vnd.amazon.eventstream")
        .containsEntry("content-type", "application/json").containsEntry("x-amz-date", "20250101T000000Z")
        .containsKey("authorization").doesNotContainKey("anthropic-beta");
    assertThat(call.headers().get("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request");
    assertThat(json(call.body())).isEqualTo(json("""
        {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 1024,
         "system": [{"type": "text", "text": "You are Claude Code.", "cache_control": {"type": "ephemeral"}},
                    {"type": "text", "text": "cwd is /repo"}],
         "thinking": {"type": "enabled", "budget_tokens": 1024},
         "messages": [{"role": "user", "content": "List the files."}],
         "future_field": {"x": 1},
         "anthropic_beta": ["interleaved-thinking-2025-05-14"]}
        """));
    assertThat(adapter.decoder("application/vnd.amazon.eventstream").contentType()).isEqualTo("text/event-stream");
  }

  @Test
  void configuredBetasReplaceTheDefault() throws Exception {
    var base = Backends.backend(ApiSchema.AWSBedrock);
    AIBackend b = base.backend();
    var backend = new ResolvedBackend(new AIBackend(b.metadata(), b.source(), b.schema(), b.endpoint(), b.credentials(),
        b.modelNameOverride(), false, b.timeouts(), b.apiVersion(), b.awsRegion(), b.vertex(), b.traffic(),
        b.backendRef(), new ProviderOptions(null, List.of("not-a-real-*"))), "sk-test", null, base.aws(), null);
    var adapter = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, backend, BEDROCK_MODEL, false);

    UpstreamCall call = adapter.prepare(request(ApiEndpoint.ANTHROPIC_MESSAGES, "/v1/messages",
        CLAUDE_CODE.formatted(BEDROCK_MODEL, false), "anthropic-beta", BETAS), target(backend, "", null, null));

    assertThat(call.pathAndQuery()).endsWith("/invoke");
    assertThat(json(call.body()).get("anthropic_beta")).isEqualTo(json("[\"not-a-real-beta-2099-01-01\"]"));
    assertThat(json(call.body()).has("stream")).isFalse();
  }

  @Test
  void countTokensGoesToBedrocksCounterAsABase64InvokeModelBody() throws Exception {
    var backend = Backends.backend(ApiSchema.AWSBedrock);
    var adapter = adapter(ApiEndpoint.ANTHROPIC_COUNT_TOKENS, backend, BEDROCK_MODEL, false);

    UpstreamCall call = adapter.prepare(request(ApiEndpoint.ANTHROPIC_COUNT_TOKENS, "/v1/messages/count_tokens",
        "{\"model\":\"" + BEDROCK_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        target(backend, "", null, null));

    assertThat(call.pathAndQuery()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens");
    JsonNode body = json(call.body());
    assertThat(body.path("input").path("invokeModel").size()).isEqualTo(1);
    byte[] invoke = Base64.getDecoder().decode(body.path("input").path("invokeModel").path("body").asText());
    assertThat(json(invoke)).isEqualTo(json("""
        {"anthropic_version": "bedrock-2023-05-31", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1}
        """));

    var decoder = adapter.decoder("application/json");
    var sink = new Backends.Collected();
    decoder.bytes(Backends.bytes("{\"inputTokens\":"), sink);
    decoder.bytes(Backends.bytes("42}"), sink);
    assertThat(sink.emitted).isEmpty();
    decoder.end(sink);
    assertThat(sink.joined()).isEqualTo("{\"input_tokens\":42}");
    assertThat(decoder.contentType()).isEqualTo("application/json");
  }

  private static final List<String> ANTHROPIC_EVENTS = List.of(
      "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":3,\"output_tokens\":1}}}",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hé\"}}",
      "{\"type\":\"content_block_stop\",\"index\":0}",
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":4}}",
      "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":10,\"outputTokenCount\":4}}");

  private static byte[] frame(String kind, String type, String payload) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(kind.equals("event") ? ":event-type" : ":exception-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString(kind));
    ByteBuffer frame = new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
    return Arrays.copyOfRange(frame.array(), frame.arrayOffset() + frame.position(),
        frame.arrayOffset() + frame.position() + frame.remaining());
  }

  private static byte[] chunks(List<String> events, String... tail) {
    var out = new java.io.ByteArrayOutputStream();
    for (String event : events) {
      String b64 = Base64.getEncoder().encodeToString(event.getBytes(StandardCharsets.UTF_8));
      out.writeBytes(frame("event", "chunk", "{\"bytes\":\"" + b64 + "\",\"p\":\"abc\"}"));
    }
    for (int i = 0; i + 1 < tail.length; i += 2) {
      out.writeBytes(frame("exception", tail[i], tail[i + 1]));
    }
    return out.toByteArray();
  }

  private static String expectedSse(List<String> events) throws Exception {
    var out = new StringBuilder();
    for (String event : events) {
      var node = (com.fasterxml.jackson.databind.node.ObjectNode) json(event);
      node.remove("amazon-bedrock-invocationMetrics");
      out.append("event: ").append(node.get("type").asText()).append("\ndata: ").append(node).append("\n\n");
    }
    return out.toString();
  }

  private static List<byte[]> cut(byte[] bytes, Random random, boolean byteByByte) {
    List<byte[]> pieces = new ArrayList<>();
    if (byteByByte) {
      for (byte b : bytes) {
        pieces.add(new byte[] {b});
      }
      return pieces;
    }
    int[] cuts = random.ints(1 + random.nextInt(10), 0, bytes.length + 1).sorted().toArray();
    int from = 0;
    for (int at : cuts) {
      pieces.add(Arrays.copyOfRange(bytes, from, at));
      from = at;
    }
    pieces.add(Arrays.copyOfRange(bytes, from, bytes.length));
    return pieces;
  }

  @Test
  void bedrocksEventStreamBecomesAnthropicSseWhateverTheCuts() throws Exception {
    var backend = Backends.backend(ApiSchema.AWSBedrock);
    byte[] stream = chunks(ANTHROPIC_EVENTS);
    String expected = expectedSse(ANTHROPIC_EVENTS);
    var random = new Random(0xB3D70C);
    for (int round = 0; round <= 40; round++) {
      var decoder = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, backend, BEDROCK_MODEL, true)
          .decoder("application/vnd.amazon.eventstream");
      var sink = new Backends.Collected();
      for (byte[] piece : cut(stream, random, round == 40)) {
        decoder.bytes(piece, sink);
      }
      decoder.end(sink);

      assertThat(sink.joined()).isEqualTo(expected);
      assertThat(decoder.usage()).isEqualTo(new TokenUsage(13, 4, 17, 0, 0, 3));
    }
  }

  @Test
  void anExceptionInTheStreamFailsItAfterTheEventsBeforeIt() throws Exception {
    var backend = Backends.backend(ApiSchema.AWSBedrock);
    byte[] stream = chunks(ANTHROPIC_EVENTS.subList(0, 3), "throttlingException", "{\"message\":\"Too many tokens\"}");
    var decoder = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, backend, BEDROCK_MODEL, true)
        .decoder("application/vnd.amazon.eventstream");
    var sink = new Backends.Collected();

    assertThatThrownBy(() -> decoder.bytes(stream, sink)).isInstanceOfSatisfying(TranslationException.class, e -> {
      assertThat(e.error().status()).isEqualTo(429);
      assertThat(e.error().message()).isEqualTo("Too many tokens");
    });
    assertThat(sink.joined()).isEqualTo(expectedSse(ANTHROPIC_EVENTS.subList(0, 3)));
  }

  @Test
  void aStreamCutBeforeMessageStopFails() throws Exception {
    var backend = Backends.backend(ApiSchema.AWSBedrock);
    byte[] stream = chunks(ANTHROPIC_EVENTS.subList(0, 5));
    var decoder = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, backend, BEDROCK_MODEL, true)
        .decoder("application/vnd.amazon.eventstream");
    var sink = new Backends.Collected();
    decoder.bytes(Arrays.copyOf(stream, stream.length - 3), sink);

    assertThatThrownBy(() -> decoder.end(sink)).isInstanceOf(TranslationException.class);
    assertThat(text(Backends.bytes(sink.joined()))).isEqualTo(expectedSse(ANTHROPIC_EVENTS.subList(0, 4)));
  }

  @Test
  void openAiClientsOnBedrockClaudeKeepConverse() {
    var backend = Backends.backend(ApiSchema.AWSBedrock);
    Route route = route(ApiEndpoint.CHAT_COMPLETIONS, backend, BEDROCK_MODEL, false);
    Route titan = route(ApiEndpoint.ANTHROPIC_MESSAGES, backend, "amazon.nova-pro-v1:0", false);

    assertThat(((Route.Upstream) route).adapter()).isInstanceOf(TranslatingAdapter.class);
    assertThat(((Route.Upstream) titan).adapter()).isInstanceOf(TranslatingAdapter.class);
  }

  @Test
  void aVertexBackendCanNameItsPublisherForModelsNamedOtherwise() {
    var base = Backends.backend(ApiSchema.GCPVertexAI);
    AIBackend b = base.backend();
    var vertexConfig = new dev.aigis.model.backend.VertexConfig("project-1", "us-central1", null,
        dev.aigis.model.backend.VertexConfig.Publisher.anthropic);
    var backend = new ResolvedBackend(new AIBackend(b.metadata(), b.source(), b.schema(), b.endpoint(), b.credentials(),
        "my-tuned-sonnet", false, b.timeouts(), b.apiVersion(), b.awsRegion(), vertexConfig, b.traffic(),
        b.backendRef(), b.options()), "sk-test", null, null, null);

    assertThat(((Route.Upstream) route(ApiEndpoint.ANTHROPIC_MESSAGES, backend, "anything", false)).adapter())
        .isInstanceOf(ClaudeCloudAdapter.class);
  }
}
