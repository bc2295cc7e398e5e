package dev.aigis.core.backend;

import static dev.aigis.core.backend.Backends.backend;
import static dev.aigis.core.backend.Backends.bytes;
import static dev.aigis.core.backend.Backends.request;
import static dev.aigis.core.backend.Backends.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.usage.TokenUsage;
import dev.aigis.model.backend.ApiSchema;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gemini API clients: which adapter each backend schema gets, and what the native adapter sends and reads. */
class GeminiAdaptersTest {

  private static final String PATH = "/v1beta/models/gemini-2.5-flash:streamGenerateContent";
  private static final String BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
  private static final OpenAiRequest STREAMED = new OpenAiRequest("gemini-2.5-flash", true, false);

  private static Route route(ApiEndpoint endpoint, ApiSchema schema) {
    return BackendAdapters.route(endpoint, backend(schema), STREAMED, true, InstantSource.system());
  }

  @Test
  void geminiAndVertexAreNativeOtherSchemasGoThroughThePivotAndCountTokensIsCountedForThem() {
    for (ApiSchema schema : new ApiSchema[] {ApiSchema.Gemini, ApiSchema.GCPVertexAI}) {
      assertThat(route(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT, schema))
          .isInstanceOfSatisfying(Route.Upstream.class, u -> assertThat(u.adapter().nativeApi()).isTrue());
      assertThat(route(ApiEndpoint.GEMINI_COUNT_TOKENS, schema)).isInstanceOf(Route.Upstream.class);
    }
    for (ApiSchema schema : new ApiSchema[] {ApiSchema.OpenAI, ApiSchema.Anthropic, ApiSchema.AWSBedrock}) {
      assertThat(route(ApiEndpoint.GEMINI_GENERATE_CONTENT, schema))
          .isInstanceOfSatisfying(Route.Upstream.class, u -> assertThat(u.adapter().nativeApi()).isFalse());
      assertThat(route(ApiEndpoint.GEMINI_COUNT_TOKENS, schema)).isInstanceOf(Route.CountTokens.class);
    }
  }

  @Test
  void googleAiGetsTheBodyAndPathAsSentWithItsKey() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT, PATH, BODY);

    UpstreamCall call = adapter(ApiSchema.Gemini).prepare(request, target(backend(ApiSchema.Gemini), "/base", "AIza-1",
        "alt=sse"));

    assertThat(call.body()).isSameAs(request.body());
    assertThat(call.pathAndQuery()).isEqualTo("/base" + PATH + "?alt=sse");
    assertThat(call.headers()).isEqualTo(Map.of("x-goog-api-key", "AIza-1"));
  }

  @Test
  void theModelOverrideReplacesThePathsModelAndLeavesTheBody() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT, PATH, BODY);

    UpstreamCall call = adapter(ApiSchema.Gemini).prepare(request,
        target(backend(ApiSchema.Gemini, "gemini-2.5-flash-001", null), "", "AIza-1", "alt=sse"));

    assertThat(call.body()).isSameAs(request.body());
    assertThat(call.pathAndQuery()).isEqualTo("/v1beta/models/gemini-2.5-flash-001:streamGenerateContent?alt=sse");
  }

  @Test
  void vertexGetsTheSameBodyAtItsPublisherPathWithTheBearerToken() throws Exception {
    ProcessedRequest request = request(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT, PATH, BODY);

    UpstreamCall call = adapter(ApiSchema.GCPVertexAI).prepare(request,
        target(backend(ApiSchema.GCPVertexAI), "", "ya29.token", "alt=sse"));

    assertThat(call.body()).isSameAs(request.body());
    assertThat(call.pathAndQuery()).isEqualTo("/v1/projects/project-1/locations/us-central1/publishers/google/models/"
        + "gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(call.headers()).isEqualTo(Map.of("Authorization", "Bearer ya29.token"));
  }

  @Test
  void usageIsReadFromAWholeAnswerAndFromTheLastEventOfAStream() throws Exception {
    ResponseDecoder whole = new NativeAdapter(ApiEndpoint.GEMINI_GENERATE_CONTENT, ApiSchema.Gemini,
        new OpenAiRequest("m", false, false), "llm").decoder("application/json");
    whole.bytes(bytes("{\"candidates\":[],\"usageMetadata\":{\"promptTokenCount\":7,\"candidatesTokenCount\":2,"
        + "\"totalTokenCount\":12,\"cachedContentTokenCount\":4,\"thoughtsTokenCount\":3},\"responseId\":\"r\"}"),
        new Backends.Collected());
    assertThat(whole.usage()).isEqualTo(new TokenUsage(7, 5, 12, 4, 3));

    ResponseDecoder stream = new NativeAdapter(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT, ApiSchema.Gemini, STREAMED,
        "llm").decoder("text/event-stream");
    var sink = new Backends.Collected();
    String events = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}],\"usageMetadata\":"
        + "{\"promptTokenCount\":7,\"totalTokenCount\":7}}\n\n"
        + "data: {\"candidates\":[{\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":7,"
        + "\"candidatesTokenCount\":1,\"totalTokenCount\":8}}\n\n";
    stream.bytes(bytes(events), sink);
    stream.end(sink);
    assertThat(sink.joined()).isEqualTo(events);
    assertThat(stream.usage()).isEqualTo(new TokenUsage(7, 1, 8, 0, 0));
  }

  @Test
  void aTranslatedStreamWithoutAltSseIsRefused() {
    Route.Upstream upstream = (Route.Upstream) route(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT, ApiSchema.OpenAI);
    ProcessedRequest request = request(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT, PATH, BODY);

    assertThatThrownBy(() -> upstream.adapter().prepare(request, target(backend(ApiSchema.OpenAI), "", "sk", null)))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error()).isEqualTo(
            new GatewayError.InvalidRequest("streamGenerateContent without alt=sse (a JSON array) is only served by"
                + " Gemini and Vertex AI backends; add ?alt=sse", "alt")));
  }

  private static NativeAdapter adapter(ApiSchema schema) {
    return new NativeAdapter(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT, schema, STREAMED, "llm");
  }
}
