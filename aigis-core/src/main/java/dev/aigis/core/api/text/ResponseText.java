package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.json.Json;
import dev.aigis.core.sse.SseDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Reads and rewrites the text of a model answer in the client's own wire format, so a guard (a
 * PII redactor, an output filter) works on plain text without knowing the client API: whole
 * bodies, and single SSE events as response processors receive them ({@code ResponseChunk}: one
 * complete event, raw, terminating blank line included).
 *
 * <p>"Text" is what the user reads as the answer: message content and refusals. Tool-call
 * arguments, reasoning ({@code thinking}, {@code reasoning_content}, Gemini {@code thought}
 * parts, Responses reasoning summaries) and metadata are not touched.
 *
 * <p>Rewriting is byte-exact outside the replaced strings: the JSON is never re-serialised (field
 * order, spacing and the escapes of other strings stay as the upstream wrote them) and the SSE
 * framing stays as it came ({@code event:} and {@code id:} lines, comments, LF or CRLF). Events
 * without text, and rewrites that change nothing, return the very array passed in, so a caller
 * can test {@code out == in} to know nothing changed. Events that cannot be read (data that is not
 * JSON, a key twice in one object, several events in one array) are passed unchanged too, and {@link #kind} reports them as
 * {@link EventKind#UNREADABLE} for the guard to decide.
 *
 * <p>Stateless and thread-safe; one instance per endpoint ({@link #of}). Calls parse JSON (a few
 * microseconds for an event, more for a large body): blocking, CPU-bound work, so call them where
 * the guard runs its detectors, off the event loop.
 */
public final class ResponseText {

  private static final Map<ApiEndpoint, ResponseText> BY_ENDPOINT = byEndpoint();

  /**
   * Refuses JSON with a key twice in one object: a guard would scan one value (Jackson keeps the
   * last) while a client whose parser keeps the first shows the other, so such an answer is
   * unreadable rather than half-read.
   */
  private static final ObjectReader STRICT = Json.MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

  private final TextLocator locator;

  private ResponseText(TextLocator locator) {
    this.locator = locator;
  }

  /** The reader for a client endpoint; endpoints without model text get one that finds none. */
  public static ResponseText of(ApiEndpoint endpoint) {
    return BY_ENDPOINT.get(Objects.requireNonNull(endpoint, "endpoint"));
  }

  /** Whether answers of this endpoint carry model text at all (false for embeddings, models, counts). */
  public boolean carriesText() {
    return !(locator instanceof NoText);
  }

  // ---- whole bodies

  /** Every text of a whole answer the user sees, in reading order (empty strings included). */
  public List<String> texts(JsonNode body) {
    List<Slot> slots = new ArrayList<>();
    locator.bodySlots(body, slots);
    return slots.stream().map(Slot::text).toList();
  }

  /**
   * {@link #texts(JsonNode)} of a body as bytes; empty when the bytes are not a JSON object (or
   * array). A streamed answer handed over whole (an event stream) is read with {@link #events}.
   */
  public List<String> texts(byte[] body) {
    JsonNode tree = tree(body, 0, body.length);
    return tree == null ? List.of() : texts(tree);
  }

  /**
   * Whether the body can be read at all: a JSON object (or array) without a key twice in one
   * object. {@link #texts(byte[])} of an unreadable body is empty and {@link #rewrite(byte[],
   * UnaryOperator)} returns it unchanged, so a guard that fails closed checks this first.
   */
  public boolean readable(byte[] body) {
    return parse(body) != null;
  }

  /**
   * The body parsed as {@link #readable} parses it, or null when it is unreadable: for a caller
   * that checks and then reads {@link #texts(JsonNode)}, so the body is parsed once.
   */
  public JsonNode parse(byte[] body) {
    return tree(body, 0, body.length);
  }

  /**
   * A copy of {@code body} with {@code edit} applied to each text (each separately), or
   * {@code body} itself when no text changes. {@code body} is not modified.
   */
  public JsonNode rewrite(JsonNode body, UnaryOperator<String> edit) {
    Map<JsonPointer, JsonNode> changes = edits(bodyAndEchoSlots(body), edit);
    if (changes.isEmpty()) {
      return body;
    }
    JsonNode copy = body.deepCopy();
    changes.forEach((at, value) ->
        ((ObjectNode) copy.at(at.head())).set(at.last().getMatchingProperty(), value.deepCopy()));
    return copy;
  }

  /**
   * {@code body} with {@code edit} applied to each text and every other byte kept, or {@code body}
   * itself when no text changes or the bytes are not a JSON object (or array).
   */
  public byte[] rewrite(byte[] body, UnaryOperator<String> edit) {
    JsonNode tree = tree(body, 0, body.length);
    if (tree == null) {
      return body;
    }
    Map<JsonPointer, JsonNode> changes = edits(bodyAndEchoSlots(tree), edit);
    return changes.isEmpty() ? body : JsonSplice.replace(body, body, 0, body.length, changes, p -> p);
  }

  // ---- stream events

  /** Reads one event once, for a caller that reads its text and rewrites it later. */
  public TextEvent event(byte[] event) {
    return read(Objects.requireNonNull(event, "event"));
  }

  /**
   * A whole event stream (a streamed answer a processor got buffered) cut into its events, each
   * read; their raw bytes, in order, are exactly {@code stream}, so writing each event's output in
   * order rebuilds it. A last event cut short (no blank line) is read like any other.
   */
  public List<TextEvent> events(byte[] stream) {
    List<TextEvent> events = new ArrayList<>();
    var decoder = new SseDecoder(decoded -> events.add(read(decoded.raw())), Math.max(1, stream.length + 1));
    decoder.feed(stream);
    if (decoder.pendingBytes() > 0) {
      events.add(read(decoder.takePending()));
    }
    return events;
  }

  /** What the event holds of the answer's text. */
  public EventKind kind(byte[] event) {
    return event(event).kind();
  }

  /** {@link TextEvent#deltaText()} of the event. */
  public String deltaText(byte[] event) {
    return event(event).deltaText();
  }

  /** {@link TextEvent#withDeltaText(String)} of the event. */
  public byte[] withDeltaText(byte[] event, String text) {
    return event(event).withDeltaText(text);
  }

  /** Whether this event repeats whole texts of the answer ({@link EventKind#WHOLE_TEXT}). */
  public boolean carriesWholeText(byte[] event) {
    return event(event).carriesWholeText();
  }

  /** {@link TextEvent#rewriteWholeTexts(UnaryOperator)} of the event. */
  public byte[] rewriteWholeTexts(byte[] event, UnaryOperator<String> edit) {
    return event(event).rewriteWholeTexts(edit);
  }

  // ---- internals

  private TextEvent read(byte[] event) {
    if (!carriesText()) {
      return none(event);
    }
    SseFrame frame = SseFrame.parse(event);
    if (frame == null) {
      return unreadable(event);
    }
    if (!frame.hasData() || frame.isDone()) {
      return none(event);
    }
    String type = null;
    EventKind kind = EventKind.DELTA;
    if (locator.typedEvents()) {
      try {
        type = topLevelType(frame);
      } catch (IOException e) {
        return unreadable(event);
      }
      if (type == null) {
        type = frame.eventName();
      }
      kind = locator.kindOf(type);
      if (kind == EventKind.NONE) {
        return none(event); // passes without building a tree
      }
    }
    JsonNode data = tree(frame.data(), frame.dataOffset(), frame.dataLength());
    if (data == null || !data.isObject()) {
      return unreadable(event);
    }
    List<Slot> slots = new ArrayList<>(2);
    if (kind == EventKind.DELTA) {
      locator.deltaSlots(type, data, slots);
    } else {
      locator.wholeTextSlots(type, data, slots);
    }
    return slots.isEmpty() ? none(event) : new TextEvent(event, kind, frame, List.copyOf(slots));
  }

  private static TextEvent none(byte[] event) {
    return new TextEvent(event, EventKind.NONE, null, List.of());
  }

  private static TextEvent unreadable(byte[] event) {
    return new TextEvent(event, EventKind.UNREADABLE, null, List.of());
  }

  /**
   * The parsed JSON object (or array: Gemini's JSON-array stream), or null when the bytes are not
   * one (the caller passes them on unread).
   */
  private static JsonNode tree(byte[] bytes, int offset, int length) {
    try {
      JsonNode tree = STRICT.readTree(bytes, offset, length);
      return tree != null && tree.isContainerNode() ? tree : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The top-level {@code type} of an event's JSON, read with the streaming parser so the many
   * events that carry no text (Responses' lifecycle events repeat the whole response object) pass
   * without a tree; null when there is none. Every top-level field is walked, so a second
   * {@code type} (which a client might believe instead) makes the event unreadable.
   */
  private static String topLevelType(SseFrame frame) throws IOException {
    try (JsonParser parser = Json.FACTORY.createParser(frame.data(), frame.dataOffset(), frame.dataLength())) {
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      String type = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
          type = parser.getText();
        } else {
          parser.skipChildren();
        }
      }
      return type;
    }
  }

  private List<Slot> bodyAndEchoSlots(JsonNode body) {
    List<Slot> slots = new ArrayList<>();
    locator.bodySlots(body, slots);
    locator.bodyEchoSlots(body, slots);
    return slots;
  }

  /**
   * The changes {@code edit} makes: each changed text, and the token data beside it replaced by
   * its neutral value (once, however many texts share it).
   */
  static Map<JsonPointer, JsonNode> edits(List<Slot> slots, UnaryOperator<String> edit) {
    Map<JsonPointer, JsonNode> changes = new LinkedHashMap<>();
    for (Slot slot : slots) {
      String edited = Objects.requireNonNull(edit.apply(slot.text()), "edit returned null");
      if (!edited.equals(slot.text())) {
        change(changes, slot, edited);
      }
    }
    return changes;
  }

  static void change(Map<JsonPointer, JsonNode> changes, Slot slot, String text) {
    changes.put(slot.at(), TextNode.valueOf(text));
    if (slot.tokens() != null) {
      changes.putIfAbsent(slot.tokens().at(), slot.tokens().neutral());
    }
  }

  private static Map<ApiEndpoint, ResponseText> byEndpoint() {
    Map<ApiEndpoint, ResponseText> map = new EnumMap<>(ApiEndpoint.class);
    ResponseText none = new ResponseText(new NoText());
    ResponseText gemini = new ResponseText(new GeminiText());
    for (ApiEndpoint endpoint : ApiEndpoint.values()) {
      map.put(endpoint, switch (endpoint) {
        case CHAT_COMPLETIONS -> new ResponseText(new ChatCompletionsText());
        case COMPLETIONS -> new ResponseText(new CompletionsText());
        case ANTHROPIC_MESSAGES -> new ResponseText(new AnthropicMessagesText());
        case RESPONSES -> new ResponseText(new ResponsesText());
        case GEMINI_GENERATE_CONTENT, GEMINI_STREAM_GENERATE_CONTENT -> gemini;
        default -> none;
      });
    }
    return map;
  }
}
