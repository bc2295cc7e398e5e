package dev.aigis.core.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.sse.SseDecoder;
import dev.aigis.core.sse.SseEvent;
import dev.aigis.core.sse.SseException;
import dev.aigis.core.usage.OpenAiUsage;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An OpenAI chat stream read from raw bytes: each {@code data:} event parsed into a chunk object,
 * {@code [DONE]} as the end, usage taken from whichever chunk carries a {@code usage} object (the
 * {@code include_usage} chunk). Events after {@code [DONE]} are ignored; events without data
 * (keep-alive comments) too.
 *
 * <p>Failures are sticky: after a malformed chunk or an {@code {"error":...}} event nothing more is
 * emitted and every later call throws the same exception. Not thread-safe; one per stream.
 */
public final class OpenAiChunkStream {

  /** One chunk is a few hundred bytes; 1 MiB only stops a stream that never ends its event. */
  static final int MAX_EVENT_BYTES = 1 << 20;

  private final String provider;
  private final Predicate<ObjectNode> forward;
  private final SseDecoder decoder = new SseDecoder(this::onEvent, MAX_EVENT_BYTES);
  private Consumer<ObjectNode> sink;
  private TranslationException failure;
  private boolean done;
  private TokenUsage usage;

  /**
   * @param provider names the backend schema in errors
   * @param forward which parsed chunks reach the consumer (usage is read from all of them)
   */
  public OpenAiChunkStream(String provider, Predicate<ObjectNode> forward) {
    this.provider = provider;
    this.forward = forward;
  }

  public void feed(byte[] bytes, Consumer<ObjectNode> chunks) throws TranslationException {
    rethrow();
    if (done) {
      return;
    }
    sink = chunks;
    try {
      decoder.feed(bytes);
    } catch (SseException e) {
      failure = OpenAiChatWire.invalid(provider, e.getMessage());
    } finally {
      sink = null;
    }
    rethrow();
  }

  /** The bytes ended: fine after {@code [DONE]}, a truncated stream otherwise. */
  public void end() throws TranslationException {
    rethrow();
    if (!done) {
      failure = OpenAiChatWire.invalid(provider, "stream ended before [DONE]");
      throw failure;
    }
  }

  public boolean done() {
    return done;
  }

  public TokenUsage usage() {
    return usage;
  }

  private void rethrow() throws TranslationException {
    if (failure != null) {
      throw failure;
    }
  }

  private void onEvent(SseEvent event) {
    if (done || failure != null || event.data() == null) {
      return;
    }
    if (event.isDone()) {
      done = true;
      return;
    }
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(event.data());
    } catch (IOException e) {
      failure = OpenAiChatWire.invalid(provider, "stream chunk is not valid JSON");
      return;
    }
    if (!(tree instanceof ObjectNode chunk)) {
      failure = OpenAiChatWire.invalid(provider, "stream chunk is not a JSON object");
      return;
    }
    JsonNode error = chunk.get("error");
    if (error != null && error.isObject()) {
      // The status was 200 when the stream began; the failure is the upstream's, so 502.
      failure = new TranslationException(OpenAiChatWire.providerError(502, error, provider));
      return;
    }
    JsonNode choices = chunk.get("choices");
    if (choices != null && !choices.isArray()) {
      failure = OpenAiChatWire.invalid(provider, "stream chunk has non-array choices");
      return;
    }
    TokenUsage chunkUsage = OpenAiUsage.from(chunk.get("usage"));
    if (chunkUsage != null) {
      usage = chunkUsage;
    }
    if (forward.test(chunk)) {
      sink.accept(chunk);
    }
  }
}
