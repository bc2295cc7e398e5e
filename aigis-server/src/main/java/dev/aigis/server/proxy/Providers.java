package dev.aigis.server.proxy;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.EmbeddingsTranslator;
import dev.aigis.core.provider.azure.AzureOpenAiEmbeddingsTranslator;
import dev.aigis.core.provider.bedrock.BedrockTitanEmbeddingsTranslator;
import dev.aigis.core.provider.gemini.GeminiEmbeddingsTranslator;
import dev.aigis.core.provider.openai.OpenAiCompletionsInboundCodec;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.anthropic.OpenAiToAnthropicChatTranslator;
import dev.aigis.core.provider.anthropic.inbound.AnthropicInboundCodec;
import dev.aigis.core.provider.gemini.OpenAiToGeminiChatTranslator;
import dev.aigis.core.provider.azure.OpenAiToAzureOpenAiChatTranslator;
import dev.aigis.core.provider.bedrock.OpenAiToBedrockConverseTranslator;
import dev.aigis.core.provider.openai.OpenAiInboundCodec;
import dev.aigis.core.provider.openai.OpenAiToOpenAiChatTranslator;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.backend.BackendEndpoint;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.time.InstantSource;

/** Which client API and backend schema pairs are proxied natively, which are translated, and by what. */
final class Providers {

  private Providers() {}

  /** Same format on both sides: the request and answer pass through without the pivot, so nothing is lost. */
  static boolean isNative(ApiEndpoint endpoint, ApiSchema schema) {
    return (endpoint.api() == InboundApi.OpenAI && schema == ApiSchema.OpenAI)
        || (endpoint.api() == InboundApi.Anthropic && schema == ApiSchema.Anthropic);
  }

  /** Whether the chat pivot covers this endpoint: chat from either client API, and OpenAI's legacy completions. */
  static boolean isTranslatable(ApiEndpoint endpoint) {
    return endpoint == ApiEndpoint.CHAT_COMPLETIONS || endpoint == ApiEndpoint.ANTHROPIC_MESSAGES
        || endpoint == ApiEndpoint.COMPLETIONS;
  }

  static InboundCodec codec(ApiEndpoint endpoint) {
    if (endpoint == ApiEndpoint.COMPLETIONS) {
      return new OpenAiCompletionsInboundCodec();
    }
    return switch (endpoint.api()) {
      case OpenAI -> new OpenAiInboundCodec();
      case Anthropic -> new AnthropicInboundCodec();
    };
  }

  /**
   * A new embeddings translator for one {@code /v1/embeddings} request to a non-OpenAI backend, or
   * null when the schema has no embeddings API (Anthropic).
   */
  static EmbeddingsTranslator embeddings(ResolvedBackend backend) {
    return switch (backend.backend().schema()) {
      case OpenAI, Anthropic -> null;
      case AzureOpenAI -> new AzureOpenAiEmbeddingsTranslator(backend.backend().apiVersion());
      case AWSBedrock -> new BedrockTitanEmbeddingsTranslator(backend.aws(), backend.backend().awsRegion(),
          ((BackendEndpoint.Url) backend.backend().endpoint()).authority(), InstantSource.system());
      case Gemini -> new GeminiEmbeddingsTranslator(new OpenAiToGeminiChatTranslator.Target.GoogleAi());
      case GCPVertexAI -> new GeminiEmbeddingsTranslator(new OpenAiToGeminiChatTranslator.Target.Vertex(
          backend.backend().vertex().project(), backend.backend().vertex().location()));
    };
  }

  /** A new translator for one request; {@code backend}'s endpoint is a URL. */
  static BackendTranslator translator(ResolvedBackend backend) {
    String version = backend.backend().apiVersion();
    return switch (backend.backend().schema()) {
      case OpenAI -> new OpenAiToOpenAiChatTranslator();
      case AzureOpenAI -> new OpenAiToAzureOpenAiChatTranslator(version);
      case Anthropic -> new OpenAiToAnthropicChatTranslator(version != null ? version : UpstreamProxy.ANTHROPIC_VERSION);
      // Signed per request: the Host header the proxy sends (the endpoint's authority) is covered.
      case AWSBedrock -> new OpenAiToBedrockConverseTranslator(backend.aws(), backend.backend().awsRegion(),
          ((BackendEndpoint.Url) backend.backend().endpoint()).authority(), InstantSource.system());
      case Gemini -> new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.GoogleAi());
      case GCPVertexAI -> new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.Vertex(
          backend.backend().vertex().project(), backend.backend().vertex().location()));
    };
  }
}
