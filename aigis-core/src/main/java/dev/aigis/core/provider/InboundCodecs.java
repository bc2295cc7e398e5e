package dev.aigis.core.provider;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.provider.anthropic.inbound.AnthropicInboundCodec;
import dev.aigis.core.provider.gemini.inbound.GeminiInboundCodec;
import dev.aigis.core.provider.openai.OpenAiCompletionsInboundCodec;
import dev.aigis.core.provider.openai.OpenAiInboundCodec;
import dev.aigis.core.provider.openai.responses.ResponsesInboundCodec;

/** The inbound codec of each client endpoint the chat pivot covers. */
public final class InboundCodecs {

  private InboundCodecs() {}

  /** Whether the chat pivot covers this endpoint: chat from either client API, OpenAI's legacy completions and Responses. */
  public static boolean covers(ApiEndpoint endpoint) {
    return endpoint == ApiEndpoint.CHAT_COMPLETIONS || endpoint == ApiEndpoint.ANTHROPIC_MESSAGES
        || endpoint == ApiEndpoint.COMPLETIONS || endpoint == ApiEndpoint.RESPONSES
        || endpoint == ApiEndpoint.GEMINI_GENERATE_CONTENT || endpoint == ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT;
  }

  /** A new codec for one request (codecs hold stream state); null when the pivot does not cover the endpoint. */
  public static InboundCodec of(ApiEndpoint endpoint) {
    return of(endpoint, null);
  }

  /**
   * As {@link #of(ApiEndpoint)}, for APIs that name the model in the path (Gemini): the codec puts
   * {@code pathModel} into the pivot, which the other APIs read from the body.
   */
  public static InboundCodec of(ApiEndpoint endpoint, String pathModel) {
    return switch (endpoint) {
      case GEMINI_GENERATE_CONTENT -> new GeminiInboundCodec(pathModel, false);
      case GEMINI_STREAM_GENERATE_CONTENT -> new GeminiInboundCodec(pathModel, true);
      case CHAT_COMPLETIONS -> new OpenAiInboundCodec();
      case COMPLETIONS -> new OpenAiCompletionsInboundCodec();
      case ANTHROPIC_MESSAGES -> new AnthropicInboundCodec();
      case RESPONSES -> new ResponsesInboundCodec();
      default -> null;
    };
  }
}
