package dev.aigis.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.ProviderOptions;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The one table of which client endpoint reaches which backend schema, and how. */
class BackendAdaptersTest {

  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2025-01-01T00:00:00Z"));
  private static final OpenAiRequest INSPECTED = new OpenAiRequest("some-model", false, false);

  private static String describe(Route route) {
    return switch (route) {
      case Route.Upstream(NativeAdapter a) -> "native";
      case Route.Upstream(TranslatingAdapter a) -> "translated";
      case Route.Upstream(BackendAdapter a) -> "upstream " + a.getClass().getSimpleName();
      case Route.Calls(var translator) -> (translator instanceof dev.aigis.core.provider.EmbeddingsTranslator ? "embeddings " : "calls ")
          + translator.getClass().getSimpleName();
      case Route.CountTokens c -> "count tokens";
      case Route.Echo e -> "echo";
      case Route.Refused(var error) -> "refused " + error.status() + ": " + error.message();
    };
  }

  @ParameterizedTest(name = "{0} on {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      CHAT_COMPLETIONS       | OpenAI      | native
      CHAT_COMPLETIONS       | AzureOpenAI | translated
      CHAT_COMPLETIONS       | Anthropic   | translated
      CHAT_COMPLETIONS       | AWSBedrock  | translated
      CHAT_COMPLETIONS       | Gemini      | translated
      CHAT_COMPLETIONS       | GCPVertexAI | translated
      COMPLETIONS            | OpenAI      | native
      COMPLETIONS            | Anthropic   | translated
      COMPLETIONS            | Gemini      | translated
      ANTHROPIC_MESSAGES     | Anthropic   | native
      ANTHROPIC_MESSAGES     | OpenAI      | translated
      ANTHROPIC_MESSAGES     | AzureOpenAI | translated
      ANTHROPIC_MESSAGES     | AWSBedrock  | translated
      ANTHROPIC_MESSAGES     | GCPVertexAI | translated
      ANTHROPIC_COUNT_TOKENS | Anthropic   | native
      ANTHROPIC_COUNT_TOKENS | OpenAI      | count tokens
      ANTHROPIC_COUNT_TOKENS | AWSBedrock  | count tokens
      ANTHROPIC_COUNT_TOKENS | Gemini      | count tokens
      EMBEDDINGS             | OpenAI      | native
      EMBEDDINGS             | AzureOpenAI | embeddings AzureOpenAiEmbeddingsTranslator
      EMBEDDINGS             | AWSBedrock  | embeddings BedrockTitanEmbeddingsTranslator
      EMBEDDINGS             | Gemini      | embeddings GeminiEmbeddingsTranslator
      EMBEDDINGS             | GCPVertexAI | embeddings GeminiEmbeddingsTranslator
      EMBEDDINGS             | Anthropic   | refused 400: /v1/embeddings is not available on Anthropic backends
      MODELS                 | OpenAI      | native
      MODELS                 | Anthropic   | refused 400: /v1/models is not available on Anthropic backends
      MODELS                 | Gemini      | refused 400: /v1/models is not available on Gemini backends
      PASSTHROUGH            | OpenAI      | native
      PASSTHROUGH            | AzureOpenAI | refused 400: This path is not available on AzureOpenAI backends
      PASSTHROUGH            | Anthropic   | refused 400: This path is not available on Anthropic backends
      RERANK                 | OpenAI      | native
      RERANK                 | AWSBedrock  | calls BedrockRerankTranslator
      RERANK                 | GCPVertexAI | calls VertexRankingTranslator
      RERANK                 | Gemini      | refused 400: /v1/rerank is not available on Gemini backends
      RERANK                 | Anthropic   | refused 400: /v1/rerank is not available on Anthropic backends
      RERANK                 | AzureOpenAI | refused 400: /v1/rerank is not available on AzureOpenAI backends
      RESPONSES              | OpenAI      | native
      RESPONSES              | AzureOpenAI | translated
      RESPONSES              | Anthropic   | translated
      RESPONSES              | AWSBedrock  | translated
      RESPONSES              | Gemini      | translated
      RESPONSES              | GCPVertexAI | translated
      RESPONSES_INPUT_TOKENS | OpenAI      | native
      RESPONSES_INPUT_TOKENS | Anthropic   | count tokens
      RESPONSES_INPUT_TOKENS | Gemini      | count tokens
      """)
  void eachEndpointAndSchemaPairHasOneWay(ApiEndpoint endpoint, ApiSchema schema, String expected) {
    Route route = BackendAdapters.route(endpoint, Backends.backend(schema), INSPECTED, true, CLOCK);

    assertThat(describe(route)).isEqualTo(expected);
  }

  /** {@code spec.openai.api}: each OpenAI API is native only where the server speaks it, else translated. */
  @ParameterizedTest(name = "{0} on an OpenAI server speaking {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      RESPONSES              | ChatCompletions | translated OpenAiToOpenAiChatTranslator
      RESPONSES_INPUT_TOKENS | ChatCompletions | count tokens
      RESPONSES              | Responses       | native
      RESPONSES_INPUT_TOKENS | Responses       | native
      CHAT_COMPLETIONS       | Responses       | translated OpenAiToOpenAiResponsesTranslator
      COMPLETIONS            | Responses       | translated OpenAiToOpenAiResponsesTranslator
      ANTHROPIC_MESSAGES     | Responses       | translated OpenAiToOpenAiResponsesTranslator
      ANTHROPIC_MESSAGES     | ChatCompletions | translated OpenAiToOpenAiChatTranslator
      CHAT_COMPLETIONS       | ChatCompletions | native
      EMBEDDINGS             | Responses       | native
      """)
  void openAiServersSpeakTheApisTheyDeclare(ApiEndpoint endpoint, ProviderOptions.OpenAiApi api, String expected) {
    var backend = Backends.backend(ApiSchema.OpenAI, new ProviderOptions(api, null));
    Route route = BackendAdapters.route(endpoint, backend, INSPECTED, true, CLOCK);

    String described = describe(route);
    if (described.equals("translated")) {
      described += " " + BackendAdapters.translator(backend, CLOCK).getClass().getSimpleName();
    }
    assertThat(described).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(ApiEndpoint.class)
  void theBuiltInEchoBackendAnswersEveryEndpoint(ApiEndpoint endpoint) {
    assertThat(BackendAdapters.route(endpoint, Backends.echo(), INSPECTED, true, CLOCK)).isEqualTo(new Route.Echo());
  }

  @Test
  void geminiClientsReachVertexsGoogleModelsNativelyAndClaudeOnVertexThroughThePivot() {
    var vertex = Backends.backend(ApiSchema.GCPVertexAI);
    assertThat(describe(BackendAdapters.route(ApiEndpoint.GEMINI_GENERATE_CONTENT, vertex,
        new OpenAiRequest("gemini-2.5-flash", false, false), true, CLOCK))).isEqualTo("native");
    assertThat(describe(BackendAdapters.route(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT, vertex,
        new OpenAiRequest("claude-sonnet-4-5@20250929", true, false), true, CLOCK))).isEqualTo("translated");
    assertThat(describe(BackendAdapters.route(ApiEndpoint.GEMINI_COUNT_TOKENS, vertex,
        new OpenAiRequest("claude-sonnet-4-5@20250929", false, false), true, CLOCK))).isEqualTo("count tokens");
  }

  @Test
  void translationNeedsTheBufferedBody() {
    Route route = BackendAdapters.route(ApiEndpoint.EMBEDDINGS, Backends.backend(ApiSchema.Gemini), INSPECTED, false, CLOCK);

    assertThat(describe(route)).isEqualTo("refused 400: /v1/embeddings is not available on Gemini backends");
  }

  @Test
  void aTranslatedAdapterStreamsWhenTheClientAskedAndSaysItsApiIsNotNative() {
    Route route = BackendAdapters.route(ApiEndpoint.CHAT_COMPLETIONS, Backends.backend(ApiSchema.Anthropic),
        new OpenAiRequest("claude", true, false), true, CLOCK);

    BackendAdapter adapter = ((Route.Upstream) route).adapter();
    assertThat(adapter.streams()).isTrue();
    assertThat(adapter.nativeApi()).isFalse();
    assertThat(adapter.translatesErrors()).isTrue();
  }

  /** Found by UpstreamAnswerFuzzTest: these translators took {@code created} from the system clock, not the route's. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "Anthropic   | {\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"stop_reason\":\"end_turn\"}",
    "Gemini      | {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"hi\"}]},\"finishReason\":\"STOP\"}]}",
    "GCPVertexAI | {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"hi\"}]},\"finishReason\":\"STOP\"}]}",
  })
  void translatedAnswersAreCreatedAtTheRoutesClock(ApiSchema schema, String answer) throws Exception {
    var translator = BackendAdapters.translator(Backends.backend(schema), CLOCK);

    assertThat(translator.chatResponse(Backends.bytes(answer)).path("created").asLong())
        .isEqualTo(CLOCK.instant().getEpochSecond());
  }
}
