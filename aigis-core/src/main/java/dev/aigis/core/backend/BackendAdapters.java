package dev.aigis.core.backend;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.CallsTranslator;
import dev.aigis.core.provider.bedrock.BedrockRerankTranslator;
import dev.aigis.core.provider.gemini.VertexRankingTranslator;
import dev.aigis.core.provider.EmbeddingsTranslator;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.InboundCodecs;
import dev.aigis.core.provider.anthropic.AnthropicBetas;
import dev.aigis.core.provider.anthropic.ClaudeBodies;
import dev.aigis.core.provider.anthropic.OpenAiToAnthropicChatTranslator;
import dev.aigis.core.provider.azure.AzureOpenAiEmbeddingsTranslator;
import dev.aigis.core.provider.azure.OpenAiToAzureOpenAiChatTranslator;
import dev.aigis.core.provider.bedrock.BedrockInvokeModel;
import dev.aigis.core.provider.bedrock.BedrockTitanEmbeddingsTranslator;
import dev.aigis.core.provider.bedrock.OpenAiToBedrockConverseTranslator;
import dev.aigis.core.provider.gemini.GeminiEmbeddingsTranslator;
import dev.aigis.core.provider.gemini.OpenAiToGeminiChatTranslator;
import dev.aigis.core.provider.openai.OpenAiToOpenAiChatTranslator;
import dev.aigis.core.provider.openai.responses.OpenAiToOpenAiResponsesTranslator;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.backend.ProviderOptions.OpenAiApi;
import dev.aigis.model.backend.VertexConfig;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.time.InstantSource;

/** Which adapter serves a client endpoint on a backend schema: the one table of native and translated pairs. */
public final class BackendAdapters {

  private BackendAdapters() {}

  /** Same format on both sides, for a server that speaks every OpenAI API ({@code spec.openai.api: Both}). */
  public static boolean isNative(ApiEndpoint endpoint, ApiSchema schema) {
    return isNative(endpoint, schema, OpenAiApi.Both);
  }

  /**
   * Same format on both sides: the request and answer pass through without the pivot, so nothing
   * is lost. An OpenAI-schema server may lack one of OpenAI's two generation APIs
   * ({@code spec.openai.api}): Responses clients are native only where it speaks Responses, chat
   * and completions clients only where it speaks chat; the others are translated.
   */
  public static boolean isNative(ApiEndpoint endpoint, ApiSchema schema, OpenAiApi openAiApi) {
    if (endpoint.api() == InboundApi.OpenAI && schema == ApiSchema.OpenAI) {
      return switch (endpoint) {
        case RESPONSES, RESPONSES_INPUT_TOKENS -> openAiApi != OpenAiApi.ChatCompletions;
        case CHAT_COMPLETIONS, COMPLETIONS -> openAiApi != OpenAiApi.Responses;
        default -> true;
      };
    }
    return (endpoint.api() == InboundApi.Anthropic && schema == ApiSchema.Anthropic)
        // Vertex AI takes Gemini's body as is, at its own path (GeminiPaths).
        || (endpoint.api() == InboundApi.Gemini && (schema == ApiSchema.Gemini || schema == ApiSchema.GCPVertexAI));
  }

  /**
   * How this exchange reaches {@code backend}.
   *
   * @param inspected what the gateway read of the body (model, stream, include_usage)
   * @param hasBody whether the body was buffered (translation needs it)
   * @param clock for request signing and the {@code created} of translated answers
   */
  public static Route route(ApiEndpoint endpoint, ResolvedBackend backend, OpenAiRequest inspected, boolean hasBody,
      InstantSource clock) {
    ApiSchema schema = backend.backend().schema();
    String name = backend.key();
    if (backend.backend().endpoint() instanceof BackendEndpoint.Builtin) {
      return new Route.Echo();
    }
    // Gemini's body reaches Vertex AI's Google models as is; Claude on Vertex speaks Anthropic's.
    boolean geminiToClaude = endpoint.api() == InboundApi.Gemini && schema == ApiSchema.GCPVertexAI
        && vertexClaude(backend, modelOf(backend, inspected));
    if (!geminiToClaude && isNative(endpoint, schema, backend.backend().options().openAiApi())) {
      return new Route.Upstream(new NativeAdapter(endpoint, schema, inspected, name));
    }
    ClaudeCloudAdapter.Cloud claude = endpoint.api() == InboundApi.Anthropic && hasBody
        ? claudeCloud(backend, modelOf(backend, inspected), clock) : null;
    if (claude != null
        && (endpoint == ApiEndpoint.ANTHROPIC_MESSAGES || endpoint == ApiEndpoint.ANTHROPIC_COUNT_TOKENS)) {
      return new Route.Upstream(new ClaudeCloudAdapter(endpoint, claude, inspected,
          AnthropicBetas.allowed(backend.backend().options().anthropicBetas(), schema), name));
    }
    if (endpoint == ApiEndpoint.ANTHROPIC_COUNT_TOKENS || endpoint == ApiEndpoint.RESPONSES_INPUT_TOKENS
        || endpoint == ApiEndpoint.GEMINI_COUNT_TOKENS) {
      return new Route.CountTokens();
    }
    if (InboundCodecs.covers(endpoint) && hasBody) {
      InboundCodec codec = InboundCodecs.of(endpoint, inspected.model());
      // A Responses stream ends with the usage in response.completed: its codec needs the usage chunk.
      boolean usageChunk = inspected.clientAskedForUsage() || endpoint == ApiEndpoint.RESPONSES;
      return new Route.Upstream(new TranslatingAdapter(codec, translator(backend, clock, modelOf(backend, inspected)),
          inspected.stream(), usageChunk, name));
    }
    if (endpoint == ApiEndpoint.EMBEDDINGS && hasBody && embeddings(backend, clock) instanceof EmbeddingsTranslator e) {
      return new Route.Calls(e);
    }
    if (endpoint == ApiEndpoint.RERANK && hasBody && rerank(backend, clock) instanceof CallsTranslator r) {
      return new Route.Calls(r);
    }
    return new Route.Refused(new GatewayError.InvalidRequest(
        pathOf(endpoint) + " is not available on " + schema + " backends", null));
  }

  private static String pathOf(ApiEndpoint endpoint) {
    return switch (endpoint) {
      case CHAT_COMPLETIONS -> "/v1/chat/completions";
      case COMPLETIONS -> "/v1/completions";
      case EMBEDDINGS -> "/v1/embeddings";
      case MODELS -> "/v1/models";
      case ANTHROPIC_MESSAGES -> "/v1/messages";
      case ANTHROPIC_COUNT_TOKENS -> "/v1/messages/count_tokens";
      case RERANK -> "/v1/rerank";
      case RESPONSES -> "/v1/responses";
      case RESPONSES_INPUT_TOKENS -> "/v1/responses/input_tokens";
      case GEMINI_GENERATE_CONTENT -> "models/{model}:generateContent";
      case GEMINI_STREAM_GENERATE_CONTENT -> "models/{model}:streamGenerateContent";
      case GEMINI_COUNT_TOKENS -> "models/{model}:countTokens";
      case PASSTHROUGH -> "This path";
    };
  }

  /** The model the backend is asked for: its {@code modelNameOverride}, else the client's. */
  private static String modelOf(ResolvedBackend backend, OpenAiRequest inspected) {
    String override = backend.backend().modelNameOverride();
    return override != null ? override : inspected.model();
  }

  /**
   * The cloud serving Claude for this model, or null: a Vertex AI model named {@code claude*}
   * (Anthropic's publisher models) or on a backend with {@code vertex.publisher: anthropic}, a
   * Bedrock model id or profile naming {@code anthropic.}.
   * Anthropic clients reach them natively-enveloped; OpenAI clients reach Vertex's through the
   * Anthropic translator and Bedrock's through Converse.
   */
  private static ClaudeCloudAdapter.Cloud claudeCloud(ResolvedBackend backend, String model, InstantSource clock) {
    return switch (backend.backend().schema()) {
      case GCPVertexAI -> vertexClaude(backend, model) ? new ClaudeCloudAdapter.Cloud.Vertex(
          backend.backend().vertex().project(), backend.backend().vertex().location()) : null;
      case AWSBedrock -> ClaudeBodies.isBedrockClaude(model) ? new ClaudeCloudAdapter.Cloud.Bedrock(
          new BedrockInvokeModel(backend.aws(), backend.backend().awsRegion(),
              ((BackendEndpoint.Url) backend.backend().endpoint()).authority(), clock)) : null;
      default -> null;
    };
  }

  /** Whether a Vertex AI model is Anthropic's: the backend's {@code vertex.publisher}, else the model's name. */
  private static boolean vertexClaude(ResolvedBackend backend, String model) {
    VertexConfig.Publisher publisher = backend.backend().vertex().publisher();
    return publisher != null ? publisher == VertexConfig.Publisher.anthropic : ClaudeBodies.isVertexClaude(model);
  }

  /** A new translator for one request; {@code backend}'s endpoint is a URL. */
  static BackendTranslator translator(ResolvedBackend backend, InstantSource clock) {
    return translator(backend, clock, null);
  }

  /** @param model the model asked for, which picks Claude on Vertex AI; null when unknown */
  static BackendTranslator translator(ResolvedBackend backend, InstantSource clock, String model) {
    String version = backend.backend().apiVersion();
    return switch (backend.backend().schema()) {
      case OpenAI -> backend.backend().options().openAiApi() == OpenAiApi.Responses
          ? new OpenAiToOpenAiResponsesTranslator()
          : new OpenAiToOpenAiChatTranslator();
      case AzureOpenAI -> new OpenAiToAzureOpenAiChatTranslator(version);
      case Anthropic -> new OpenAiToAnthropicChatTranslator(version != null ? version : NativeAdapter.ANTHROPIC_VERSION,
          clock);
      // Signed per request: the Host header the leg sends (the endpoint's authority) is covered.
      case AWSBedrock -> new OpenAiToBedrockConverseTranslator(backend.aws(), backend.backend().awsRegion(),
          ((BackendEndpoint.Url) backend.backend().endpoint()).authority(), clock);
      case Gemini -> new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.GoogleAi(), clock);
      case GCPVertexAI -> vertexClaude(backend, model)
          ? new OpenAiToAnthropicChatTranslator(new OpenAiToAnthropicChatTranslator.Host.Vertex(
              backend.backend().vertex().project(), backend.backend().vertex().location()), clock)
          : new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.Vertex(
              backend.backend().vertex().project(), backend.backend().vertex().location()), clock);
    };
  }

  /**
   * A new rerank translator, or null when the schema has no ranking API: OpenAI-schema backends
   * (Cohere, vLLM, TEI, Infinity: the Cohere API) are native; Bedrock's Rerank API and Vertex AI's
   * ranking API are translated; Azure OpenAI, Anthropic and Google AI have none.
   */
  static CallsTranslator rerank(ResolvedBackend backend, InstantSource clock) {
    return switch (backend.backend().schema()) {
      case OpenAI, AzureOpenAI, Anthropic, Gemini -> null;
      case AWSBedrock -> new BedrockRerankTranslator(backend.aws(), backend.backend().awsRegion(),
          ((BackendEndpoint.Url) backend.backend().endpoint()).authority(), clock);
      case GCPVertexAI -> new VertexRankingTranslator(backend.backend().vertex().project());
    };
  }

  /** A new embeddings translator, or null when the schema has no embeddings API (Anthropic). */
  static EmbeddingsTranslator embeddings(ResolvedBackend backend, InstantSource clock) {
    return switch (backend.backend().schema()) {
      case OpenAI, Anthropic -> null;
      case AzureOpenAI -> new AzureOpenAiEmbeddingsTranslator(backend.backend().apiVersion());
      case AWSBedrock -> new BedrockTitanEmbeddingsTranslator(backend.aws(), backend.backend().awsRegion(),
          ((BackendEndpoint.Url) backend.backend().endpoint()).authority(), clock);
      case Gemini -> new GeminiEmbeddingsTranslator(new OpenAiToGeminiChatTranslator.Target.GoogleAi());
      case GCPVertexAI -> new GeminiEmbeddingsTranslator(new OpenAiToGeminiChatTranslator.Target.Vertex(
          backend.backend().vertex().project(), backend.backend().vertex().location()));
    };
  }
}
