package dev.aigis.core.openai;

/** The OpenAI API paths Aigis understands; anything else under {@code /v1/} is passed through. */
public enum OpenAiEndpoint {
  CHAT_COMPLETIONS("/v1/chat/completions", "chat", true),
  COMPLETIONS("/v1/completions", "text_completion", true),
  EMBEDDINGS("/v1/embeddings", "embeddings", false),
  MODELS("/v1/models", null, false),
  PASSTHROUGH(null, null, false);

  private final String path;
  private final String operationName;
  private final boolean streamable;

  OpenAiEndpoint(String path, String operationName, boolean streamable) {
    this.path = path;
    this.operationName = operationName;
    this.streamable = streamable;
  }

  public static OpenAiEndpoint of(String path) {
    return switch (path) {
      case "/v1/chat/completions" -> CHAT_COMPLETIONS;
      case "/v1/completions" -> COMPLETIONS;
      case "/v1/embeddings" -> EMBEDDINGS;
      case "/v1/models" -> MODELS;
      default -> PASSTHROUGH;
    };
  }

  public String path() {
    return path;
  }

  /** The OpenTelemetry GenAI {@code gen_ai.operation.name}, or null when this is not a model call. */
  public String operationName() {
    return operationName;
  }

  /** Whether the endpoint supports {@code stream: true} with {@code stream_options.include_usage}. */
  public boolean streamable() {
    return streamable;
  }

  /** Whether a request to this endpoint must carry a JSON body with a {@code model}. */
  public boolean requiresModel() {
    return operationName != null;
  }
}
