package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.gemini.OpenAiToGeminiChatTranslator;
import dev.aigis.core.sse.SseEvent;
import dev.aigis.core.usage.GeminiUsage;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;

/**
 * A native Gemini {@code streamGenerateContent?alt=sse} stream (Google AI or Vertex AI) for a
 * Gemini client, event by event: each event passes as received. Every event is a whole
 * {@code GenerateContentResponse} whose {@code usageMetadata} is cumulative, so the last one read
 * is the answer's usage. Gemini has no end event; a cut stream reaches the client as Google would
 * have cut it. An event that does not parse passes on as it came with the rest of the stream and is
 * recorded as a {@link #violation()} ({@link NativeEventStream}). With {@link #withPivots()} each event also gets the pivot chunk the Gemini
 * translation makes of it.
 */
final class GeminiEventDecoder extends NativeEventDecoder {

  /** A function call arrives whole in one event: as the translation, allow 4 MiB. */
  static final int MAX_EVENT_BYTES = 4 << 20;

  private final String backend;
  private final BackendTranslator pivots;
  private TokenUsage usage;

  GeminiEventDecoder(String backend) {
    this(backend, null);
  }

  private GeminiEventDecoder(String backend, BackendTranslator pivots) {
    super(MAX_EVENT_BYTES);
    this.backend = backend;
    this.pivots = pivots;
  }

  @Override
  public ResponseDecoder withPivots() {
    return new GeminiEventDecoder(backend, new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.GoogleAi()));
  }

  @Override
  void onEvent(SseEvent event) {
    if (stream.unread()) {
      stream.emit(event.raw(), null);
      return;
    }
    if (event.data() != null && !event.data().isBlank()) {
      try {
        JsonNode node = Json.MAPPER.readTree(event.data());
        TokenUsage read = GeminiUsage.from(node.get(GeminiUsage.KEY));
        if (read != null) {
          usage = read;
        }
      } catch (IOException e) {
        stream.violated("malformed stream event");
        stream.emit(event.raw(), null);
        return;
      }
    }
    stream.emit(event.raw(), pivotOf(pivots, event, true));
  }

  @Override
  public void end(EventSink out) {
    stream.end(out, null); // Gemini has no end event: only an unfinished one is a violation
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }
}
