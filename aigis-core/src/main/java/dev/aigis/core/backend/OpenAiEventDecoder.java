package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.openai.OpenAiResponseInspector;
import dev.aigis.core.openai.StreamChunk;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.sse.SseEvent;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;

/**
 * A native OpenAI stream, event by event: each event passes as received; usage is read from the
 * chunks (with a streaming parser, no tree); the usage-only chunk is dropped when the gateway, not
 * the client, asked for it. A malformed chunk or a stream without {@code [DONE]} passes on as it
 * came and is recorded as a {@link #violation()} ({@link NativeEventStream}). With {@link
 * #withPivots()} each chunk is also parsed into a tree, its pivot.
 */
final class OpenAiEventDecoder extends NativeEventDecoder {

  /** One event larger than this is not a chat chunk; refusing it bounds memory per stream. */
  static final int MAX_EVENT_BYTES = 1024 * 1024;

  private final String backend;
  private final boolean injectedUsage;
  /** Whether each chunk is also parsed into its pivot (it is one: an OpenAI chunk). */
  private final boolean pivots;
  private TranslationException broken;
  private TokenUsage usage;
  private boolean sawDone;

  OpenAiEventDecoder(String backend, boolean injectedUsage) {
    this(backend, injectedUsage, false);
  }

  private OpenAiEventDecoder(String backend, boolean injectedUsage, boolean pivots) {
    super(MAX_EVENT_BYTES);
    this.backend = backend;
    this.injectedUsage = injectedUsage;
    this.pivots = pivots;
  }

  @Override
  public ResponseDecoder withPivots() {
    return new OpenAiEventDecoder(backend, injectedUsage, true);
  }

  @Override
  public void bytes(byte[] chunk, EventSink out) throws TranslationException {
    stream.feed(chunk, out);
    if (broken != null) {
      throw broken;
    }
  }

  @Override
  void onEvent(SseEvent event) {
    if (broken != null) {
      return;
    }
    if (stream.unread() || event.data() == null || event.isDone()) {
      sawDone |= event.isDone();
      stream.emit(event.raw(), null);
      return;
    }
    if (event.data().contains("\"error\"")) { // rare: only then is the event read as a tree
      GatewayError error = providerError(event.data());
      if (error != null) {
        broken = new TranslationException(error);
        return;
      }
    }
    StreamChunk chunk;
    try {
      chunk = OpenAiResponseInspector.chunk(event.data());
    } catch (IOException e) {
      stream.violated("malformed stream chunk");
      stream.emit(event.raw(), null);
      return;
    }
    if (chunk.usage() != null) {
      usage = chunk.usage();
    }
    if (chunk.usageOnly() && injectedUsage) {
      return; // the client did not ask for this chunk; the gateway did, to count tokens
    }
    stream.emit(event.raw(), pivots ? tree(event.data()) : null);
  }

  /** The chunk as a tree; it parsed as a chunk above, so only a non-object is left out. */
  private static ObjectNode tree(String data) {
    try {
      return Json.MAPPER.readTree(data) instanceof ObjectNode object ? object : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void end(EventSink out) {
    stream.end(out, sawDone ? null : "[DONE]");
  }

  /**
   * An {@code {"error": {...}}} event inside a 200 stream: the provider failed mid-answer. It ends
   * the client's stream with an error event in its format and is recorded with the failure's
   * status, not as the 200 the head said.
   */
  private GatewayError providerError(String data) {
    com.fasterxml.jackson.databind.JsonNode error;
    try {
      error = Json.MAPPER.readTree(data).get("error");
    } catch (IOException e) {
      return null; // the chunk parser below reports it
    }
    if (error == null || !error.isObject()) {
      return null;
    }
    String type = error.path("type").asText("server_error");
    int status = switch (type) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "permission_error" -> 403;
      case "rate_limit_error", "rate_limit_exceeded", "insufficient_quota" -> 429;
      case "server_error", "api_error" -> 500;
      default -> 502;
    };
    String code = error.hasNonNull("code") ? error.get("code").asText() : type;
    return new GatewayError.ProviderError(status, type, code,
        error.path("message").asText("The upstream reported an error mid-stream"), "openai");
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }
}
