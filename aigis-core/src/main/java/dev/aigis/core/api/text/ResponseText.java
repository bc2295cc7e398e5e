package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.json.Json;
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
 * JSON, several events in one array) are passed unchanged too, and {@link #kind} reports them as
 * {@link EventKind#UNREADABLE} for the guard to decide.
 *
 * <p>Stateless and thread-safe; one instance per endpoint ({@link #of}). Calls parse JSON (a few
 * microseconds for an event, more for a large body): blocking, CPU-bound work, so call them where
 * the guard runs its detectors, off the event loop.
 */
public final class ResponseText {

  private static final Map<ApiEndpoint, ResponseText> BY_ENDPOINT = byEndpoint();

  private static final Read NONE = new Read(EventKind.NONE, null, List.of());
  private static final Read UNREADABLE = new Read(EventKind.UNREADABLE, null, List.of());

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

  /** {@link #texts(JsonNode)} of a body as bytes; empty when the bytes are not a JSON object. */
  public List<String> texts(byte[] body) {
    JsonNode tree = tree(body, 0, body.length);
    return tree == null ? List.of() : texts(tree);
  }

  /**
   * A copy of {@code body} with {@code edit} applied to each text (each separately), or
   * {@code body} itself when no text changes. {@code body} is not modified.
   */
  public JsonNode rewrite(JsonNode body, UnaryOperator<String> edit) {
    Map<JsonPointer, String> changes = edits(bodyAndEchoSlots(body), edit);
    if (changes.isEmpty()) {
      return body;
    }
    JsonNode copy = body.deepCopy();
    changes.forEach((at, text) -> ((ObjectNode) copy.at(at.head())).put(at.last().getMatchingProperty(), text));
    return copy;
  }

  /**
   * {@code body} with {@code edit} applied to each text and every other byte kept, or {@code body}
   * itself when no text changes or the bytes are not a JSON object.
   */
  public byte[] rewrite(byte[] body, UnaryOperator<String> edit) {
    JsonNode tree = tree(body, 0, body.length);
    if (tree == null) {
      return body;
    }
    Map<JsonPointer, String> changes = edits(bodyAndEchoSlots(tree), edit);
    return changes.isEmpty() ? body : JsonSplice.replace(body, body, 0, body.length, changes, p -> p);
  }

  // ---- stream events

  /** What the event holds of the answer's text. */
  public EventKind kind(byte[] event) {
    return read(event).kind;
  }

  /**
   * The text this event adds to the answer, or null when it adds none (no text field, or an empty
   * one). Several text fields in one event (Gemini parts) are joined.
   */
  public String deltaText(byte[] event) {
    Read read = read(event);
    if (read.kind != EventKind.DELTA) {
      return null;
    }
    if (read.slots.size() == 1) {
      String text = read.slots.getFirst().text();
      return text.isEmpty() ? null : text;
    }
    var joined = new StringBuilder();
    read.slots.forEach(slot -> joined.append(slot.text()));
    return joined.isEmpty() ? null : joined.toString();
  }

  /**
   * The event with its text replaced by {@code text}, everything else byte for byte as it was; the
   * same array when the event has no text field ({@link EventKind#DELTA} only) or already holds
   * exactly this text. With several text fields the text goes into the first that holds any (else
   * the first) and the others are emptied, so a refusal stays a refusal. {@code text} may be empty
   * (a filter holding text back), and an event with an empty text field may be given text (a
   * filter releasing held text): keep a past delta event to build such events from.
   */
  public byte[] withDeltaText(byte[] event, String text) {
    Objects.requireNonNull(text, "text");
    Read read = read(event);
    if (read.kind != EventKind.DELTA) {
      return event;
    }
    Slot target = read.slots.stream().filter(slot -> !slot.text().isEmpty()).findFirst()
        .orElse(read.slots.getFirst());
    Map<JsonPointer, String> changes = new LinkedHashMap<>();
    if (!target.text().equals(text)) {
      changes.put(target.at(), text);
    }
    for (Slot slot : read.slots) {
      if (slot != target && !slot.text().isEmpty()) {
        changes.put(slot.at(), "");
      }
    }
    return changes.isEmpty() ? event : splice(event, read.frame, changes);
  }

  /** Whether this event repeats whole texts of the answer ({@link EventKind#WHOLE_TEXT}). */
  public boolean carriesWholeText(byte[] event) {
    return read(event).kind == EventKind.WHOLE_TEXT;
  }

  /**
   * For an event that repeats whole texts so far (OpenAI Responses' {@code .done} events and
   * {@code response.completed}), the event with {@code edit} applied to each whole text, so it
   * agrees with the edited deltas; any other event, or an edit that changes nothing, returns the
   * same array.
   */
  public byte[] rewriteWholeTexts(byte[] event, UnaryOperator<String> edit) {
    Read read = read(event);
    if (read.kind != EventKind.WHOLE_TEXT) {
      return event;
    }
    Map<JsonPointer, String> changes = edits(read.slots, edit);
    return changes.isEmpty() ? event : splice(event, read.frame, changes);
  }

  // ---- internals

  /** An event as read: its kind, framing and text slots (empty unless DELTA or WHOLE_TEXT). */
  private record Read(EventKind kind, SseFrame frame, List<Slot> slots) {}

  private Read read(byte[] event) {
    if (!carriesText()) {
      return NONE;
    }
    SseFrame frame = SseFrame.parse(event);
    if (frame == null) {
      return UNREADABLE;
    }
    if (!frame.hasData() || frame.isDone()) {
      return NONE;
    }
    String type = null;
    EventKind kind = EventKind.DELTA;
    if (locator.typedEvents()) {
      try {
        type = topLevelType(frame);
      } catch (IOException e) {
        return UNREADABLE;
      }
      if (type == null) {
        type = frame.eventName();
      }
      kind = locator.kindOf(type);
      if (kind == EventKind.NONE) {
        return NONE; // passes without building a tree
      }
    }
    JsonNode data = tree(frame.data(), frame.dataOffset(), frame.dataLength());
    if (data == null) {
      return UNREADABLE;
    }
    List<Slot> slots = new ArrayList<>(2);
    if (kind == EventKind.DELTA) {
      locator.deltaSlots(type, data, slots);
    } else {
      locator.wholeTextSlots(type, data, slots);
    }
    return slots.isEmpty() ? NONE : new Read(kind, frame, slots);
  }

  /** The parsed JSON object, or null when the bytes are not one (the caller passes them on unread). */
  private static JsonNode tree(byte[] bytes, int offset, int length) {
    try {
      JsonNode tree = Json.MAPPER.readTree(bytes, offset, length);
      return tree != null && tree.isObject() ? tree : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The top-level {@code type} of an event's JSON, read with the streaming parser so the many
   * events that carry no text (Responses' lifecycle events repeat the whole response object) pass
   * without a tree; null when there is none.
   */
  private static String topLevelType(SseFrame frame) throws IOException {
    try (JsonParser parser = Json.FACTORY.createParser(frame.data(), frame.dataOffset(), frame.dataLength())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("type".equals(name)) {
          return value == JsonToken.VALUE_STRING ? parser.getText() : null;
        }
        parser.skipChildren();
      }
      return null;
    }
  }

  private List<Slot> bodyAndEchoSlots(JsonNode body) {
    List<Slot> slots = new ArrayList<>();
    locator.bodySlots(body, slots);
    locator.bodyEchoSlots(body, slots);
    return slots;
  }

  private static Map<JsonPointer, String> edits(List<Slot> slots, UnaryOperator<String> edit) {
    Map<JsonPointer, String> changes = new LinkedHashMap<>();
    for (Slot slot : slots) {
      String edited = Objects.requireNonNull(edit.apply(slot.text()), "edit returned null");
      if (!edited.equals(slot.text())) {
        changes.put(slot.at(), edited);
      }
    }
    return changes;
  }

  private static byte[] splice(byte[] event, SseFrame frame, Map<JsonPointer, String> changes) {
    return JsonSplice.replace(event, frame.data(), frame.dataOffset(), frame.dataLength(), changes,
        frame::rawPosition);
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
