package dev.aigis.core.backend;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.EmbeddingsTranslator;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.InboundCodecs;
import dev.aigis.core.provider.anthropic.OpenAiToAnthropicChatTranslator;
import dev.aigis.core.provider.azure.AzureOpenAiEmbeddingsTranslator;
import dev.aigis.core.provider.azure.OpenAiToAzureOpenAiChatTranslator;
import dev.aigis.core.provider.bedrock.BedrockTitanEmbeddingsTranslator;
import dev.aigis.core.provider.bedrock.OpenAiToBedrockConverseTranslator;
import dev.aigis.core.provider.gemini.GeminiEmbeddingsTranslator;
import dev.aigis.core.provider.gemini.OpenAiToGeminiChatTranslator;
import dev.aigis.core.provider.openai.OpenAiToOpenAiChatTranslator;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.time.InstantSource;

/** Which adapter serves a client endpoint on a backend schema: the one table of native and translated pairs. */
public final class BackendAdapters {

  private BackendAdapters() {}

  /** Same format on both sides: the request and answer pass through without the pivot, so nothing is lost. */
  public static boolean isNative(ApiEndpoint endpoint, ApiSchema schema) {
    return (endpoint.api() == InboundApi.OpenAI && schema == ApiSchema.OpenAI)
        || (endpoint.api() == InboundApi.Anthropic && schema == ApiSchema.Anthropic)
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
    if (isNative(endpoint, schema)) {
      return new Route.Upstream(new NativeAdapter(endpoint, schema, inspected, name));
    }
    if (endpoint == ApiEndpoint.ANTHROPIC_COUNT_TOKENS || endpoint == ApiEndpoint.GEMINI_COUNT_TOKENS) {
      return new Route.CountTokens();
    }
    if (InboundCodecs.covers(endpoint) && hasBody) {
      InboundCodec codec = InboundCodecs.of(endpoint, inspected.model());
      return new Route.Upstream(new TranslatingAdapter(codec, translator(backend, clock), inspected.stream(),
          inspected.clientAskedForUsage(), name));
    }
    if (endpoint == ApiEndpoint.EMBEDDINGS && hasBody && embeddings(backend, clock) instanceof EmbeddingsTranslator e) {
      return new Route.Embeddings(e);
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
      case GEMINI_GENERATE_CONTENT -> "models/{model}:generateContent";
      case GEMINI_STREAM_GENERATE_CONTENT -> "models/{model}:streamGenerateContent";
      case GEMINI_COUNT_TOKENS -> "models/{model}:countTokens";
      case PASSTHROUGH -> "This path";
    };
  }

  /** A new translator for one request; {@code backend}'s endpoint is a URL. */
  static BackendTranslator translator(ResolvedBackend backend, InstantSource clock) {
    String version = backend.backend().apiVersion();
    return switch (backend.backend().schema()) {
      case OpenAI -> new OpenAiToOpenAiChatTranslator();
      case AzureOpenAI -> new OpenAiToAzureOpenAiChatTranslator(version);
      case Anthropic -> new OpenAiToAnthropicChatTranslator(version != null ? version : NativeAdapter.ANTHROPIC_VERSION,
          clock);
      // Signed per request: the Host header the leg sends (the endpoint's authority) is covered.
      case AWSBedrock -> new OpenAiToBedrockConverseTranslator(backend.aws(), backend.backend().awsRegion(),
          ((BackendEndpoint.Url) backend.backend().endpoint()).authority(), clock);
      case Gemini -> new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.GoogleAi(), clock);
      case GCPVertexAI -> new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.Vertex(
          backend.backend().vertex().project(), backend.backend().vertex().location()), clock);
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
