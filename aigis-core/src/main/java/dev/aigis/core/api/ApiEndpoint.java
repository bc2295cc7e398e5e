package dev.aigis.core.api;

import dev.aigis.core.provider.InboundApi;

/**
 * The AI API paths Aigis understands, with the client API each belongs to; anything else under
 * {@code /v1/} is passed through to OpenAI-schema backends.
 */
public enum ApiEndpoint {
  CHAT_COMPLETIONS(InboundApi.OpenAI, "chat", true, true),
  COMPLETIONS(InboundApi.OpenAI, "text_completion", true, true),
  EMBEDDINGS(InboundApi.OpenAI, "embeddings", false, true),
  MODELS(InboundApi.OpenAI, null, false, false),
  ANTHROPIC_MESSAGES(InboundApi.Anthropic, "chat", true, true),
  ANTHROPIC_COUNT_TOKENS(InboundApi.Anthropic, null, false, true),
  /** Cohere-style rerank ({@code /v1/rerank}, Cohere v2's {@code /v2/rerank}); errors in OpenAI's format. */
  RERANK(InboundApi.OpenAI, "rerank", false, true),
  RESPONSES(InboundApi.OpenAI, "chat", true, true),
  RESPONSES_INPUT_TOKENS(InboundApi.OpenAI, null, false, true),
  /** Gemini's {@code models/{model}:generateContent}: the model is in the path, not the body. */
  GEMINI_GENERATE_CONTENT(InboundApi.Gemini, "chat", false, true),
  /** Gemini's {@code models/{model}:streamGenerateContent}: streamed because of the method, not a body field. */
  GEMINI_STREAM_GENERATE_CONTENT(InboundApi.Gemini, "chat", true, true),
  GEMINI_COUNT_TOKENS(InboundApi.Gemini, null, false, true),
  PASSTHROUGH(InboundApi.OpenAI, null, false, false);

  private final InboundApi api;
  private final String operationName;
  private final boolean streamable;
  private final boolean requiresModel;

  ApiEndpoint(InboundApi api, String operationName, boolean streamable, boolean requiresModel) {
    this.api = api;
    this.operationName = operationName;
    this.streamable = streamable;
    this.requiresModel = requiresModel;
  }

  public static ApiEndpoint of(String path) {
    return switch (path) {
      case "/v1/chat/completions" -> CHAT_COMPLETIONS;
      case "/v1/completions" -> COMPLETIONS;
      case "/v1/embeddings" -> EMBEDDINGS;
      case "/v1/models" -> MODELS;
      case "/v1/messages" -> ANTHROPIC_MESSAGES;
      case "/v1/messages/count_tokens" -> ANTHROPIC_COUNT_TOKENS;
      case "/v1/rerank", "/v2/rerank" -> RERANK;
      case "/v1/responses" -> RESPONSES;
      case "/v1/responses/input_tokens" -> RESPONSES_INPUT_TOKENS;
      default -> gemini(path);
    };
  }

  /**
   * Gemini's path-routed methods, {@code /v1beta/models/{model}:{method}} or
   * {@code /v1/models/{model}:{method}}; any other path is {@link #PASSTHROUGH}.
   */
  private static ApiEndpoint gemini(String path) {
    int colon = geminiColon(path);
    if (colon < 0) {
      return PASSTHROUGH;
    }
    return switch (path.substring(colon + 1)) {
      case "generateContent" -> GEMINI_GENERATE_CONTENT;
      case "streamGenerateContent" -> GEMINI_STREAM_GENERATE_CONTENT;
      case "countTokens" -> GEMINI_COUNT_TOKENS;
      default -> PASSTHROUGH;
    };
  }

  /** The model a Gemini path names (percent-decoded, without {@code models/}), or null for other paths. */
  public static String pathModel(String path) {
    int colon = geminiColon(path);
    if (colon < 0) {
      return null;
    }
    String encoded = path.substring(path.indexOf("/models/") + "/models/".length(), colon);
    return java.net.URLDecoder.decode(encoded.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The Gemini method name of a Gemini path ({@code generateContent}...), or null. */
  public static String pathMethod(String path) {
    int colon = geminiColon(path);
    return colon < 0 ? null : path.substring(colon + 1);
  }

  /** The colon before the method in {@code /v1beta/models/{model}:{method}}, or -1 when the path is not one. */
  private static int geminiColon(String path) {
    String prefix = path.startsWith("/v1beta/models/") ? "/v1beta/models/"
        : path.startsWith("/v1/models/") ? "/v1/models/" : null;
    if (prefix == null) {
      return -1;
    }
    int colon = path.lastIndexOf(':');
    if (colon <= prefix.length() || path.indexOf('/', prefix.length()) >= 0) {
      return -1;
    }
    return colon;
  }

  /** The client API this path belongs to; errors are rendered in its format. */
  public InboundApi api() {
    return api;
  }

  /** The OpenTelemetry GenAI {@code gen_ai.operation.name}, or null when this is not a model call. */
  public String operationName() {
    return operationName;
  }

  /** Whether the endpoint streams with {@code stream: true}. */
  public boolean streamable() {
    return streamable;
  }

  /** Whether a request must carry a JSON body with a {@code model} (it is routed by it). */
  public boolean requiresModel() {
    return requiresModel;
  }

  /** Whether the OpenAI {@code stream_options.include_usage} mechanism applies (OpenAI chat and completions). */
  public boolean openAiStreamUsage() {
    return this == CHAT_COMPLETIONS || this == COMPLETIONS;
  }
}
