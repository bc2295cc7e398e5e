package dev.aigis.bench.soak;

/**
 * The API a soak client speaks. The backend is an OpenAI-schema upstream, so {@link #OPENAI}
 * passes through natively and {@link #ANTHROPIC} goes through the translation pivot both ways.
 */
enum ClientApi {
  OPENAI("/v1/chat/completions", "data: [DONE]", "data: {\"error\""),
  ANTHROPIC("/v1/messages", "event: message_stop", "event: error");

  private final String path;
  private final String streamEnd;
  private final String errorEvent;

  ClientApi(String path, String streamEnd, String errorEvent) {
    this.path = path;
    this.streamEnd = streamEnd;
    this.errorEvent = errorEvent;
  }

  String path() {
    return path;
  }

  /** The line that closes a complete stream in this API. */
  String streamEnd() {
    return streamEnd;
  }

  /** How an error event (a failure after the 200 head) starts in this API. */
  String errorEvent() {
    return errorEvent;
  }
}
