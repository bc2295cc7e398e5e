package dev.aigis.bench.soak;

/** What a soak request is, before any fault: which client API, streamed (SSE) or plain. */
enum TrafficKind {
  OPENAI_PLAIN(ClientApi.OPENAI, false),
  OPENAI_STREAM(ClientApi.OPENAI, true),
  ANTHROPIC_PLAIN(ClientApi.ANTHROPIC, false),
  ANTHROPIC_STREAM(ClientApi.ANTHROPIC, true);

  private final ClientApi api;
  private final boolean stream;

  TrafficKind(ClientApi api, boolean stream) {
    this.api = api;
    this.stream = stream;
  }

  ClientApi api() {
    return api;
  }

  boolean stream() {
    return stream;
  }

  /** {@code openai stream}, {@code anthropic plain}: as the report shows it. */
  String label() {
    return api.name().toLowerCase(java.util.Locale.ROOT) + (stream ? " stream" : " plain");
  }
}
