package dev.aigis.core.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.eventstream.Message;

/**
 * An {@code InvokeModelWithResponseStream} answer of Claude as the Anthropic SSE stream it wraps:
 * each event-stream {@code chunk} event carries {@code {"bytes":"<base64>"}}, the base64 of one
 * Anthropic stream event (message_start ... message_stop), which becomes
 * {@code event: <type>\ndata: <json>\n\n}. Bedrock's own {@code amazon-bedrock-invocationMetrics}
 * field (on the last event) is removed: it is not Anthropic's and usage is in the events already.
 * Exception messages throw as provider errors (throttling 429, ...), in the client's format once
 * rendered; framing problems and a stream cut inside a frame throw as protocol errors. Failures are
 * sticky. Not thread-safe; one per stream.
 */
public final class BedrockAnthropicStream {

  private final EventStreamDecoder decoder = new EventStreamDecoder();
  private TranslationException failure;

  /** Bytes cut anywhere; {@code events} gets each complete SSE event, in order. */
  public void bytes(byte[] bytes, Consumer<byte[]> events) throws TranslationException {
    rethrow();
    List<Message> messages;
    TranslationException framing = null;
    try {
      messages = decoder.feed(bytes);
    } catch (EventStreamDecoder.FramingException e) {
      messages = e.before();
      framing = BedrockJson.invalid(e.getMessage());
    }
    try {
      for (Message message : messages) {
        message(message, events);
      }
    } catch (TranslationException e) {
      failure = e;
    }
    if (failure == null) {
      failure = framing;
    }
    rethrow();
  }

  /** The stream ended: a frame left half-read means it was cut. */
  public void end() throws TranslationException {
    rethrow();
    if (decoder.partial()) {
      failure = BedrockJson.invalid("the stream ended inside an event-stream message");
      throw failure;
    }
  }

  private void rethrow() throws TranslationException {
    if (failure != null) {
      throw failure;
    }
  }

  private static void message(Message message, Consumer<byte[]> events) throws TranslationException {
    BedrockJson.throwIfFailure(message);
    if (!"event".equals(BedrockJson.header(message, ":message-type"))
        || !"chunk".equals(BedrockJson.header(message, ":event-type"))) {
      return; // other event types carry nothing for the client
    }
    JsonNode encoded = BedrockJson.object(message.getPayload(), "the chunk event").get("bytes");
    if (encoded == null || !encoded.isTextual()) {
      throw BedrockJson.invalid("a chunk event without bytes");
    }
    ObjectNode event;
    try {
      byte[] decoded = Base64.getDecoder().decode(encoded.asText());
      event = Json.MAPPER.readTree(decoded) instanceof ObjectNode o ? o : null;
    } catch (IllegalArgumentException | IOException e) {
      event = null;
    }
    if (event == null || !event.path("type").isTextual()) {
      throw BedrockJson.invalid("a chunk event whose bytes are not an Anthropic stream event");
    }
    event.remove("amazon-bedrock-invocationMetrics");
    String sse = "event: " + event.get("type").asText() + "\ndata: " + event + "\n\n";
    events.accept(sse.getBytes(StandardCharsets.UTF_8));
  }
}
