package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One SSE event read once ({@link ResponseText#event}): what it holds of the answer's text, and
 * how to rewrite it. A guard that reads an event's text, holds the event while its filter decides,
 * then writes the released text back parses the event a single time this way. Immutable; holds
 * the raw array it was read from, which must not change meanwhile.
 */
public final class TextEvent {

  private final byte[] raw;
  private final EventKind kind;
  private final SseFrame frame;
  private final List<Slot> slots;

  TextEvent(byte[] raw, EventKind kind, SseFrame frame, List<Slot> slots) {
    this.raw = raw;
    this.kind = kind;
    this.frame = frame;
    this.slots = slots;
  }

  /** The event's bytes as read. */
  public byte[] raw() {
    return raw;
  }

  public EventKind kind() {
    return kind;
  }

  /**
   * The text this event adds to the answer, or null when it adds none (no text field, or an empty
   * one). Several text fields in one event (Gemini parts) are joined.
   */
  public String deltaText() {
    if (kind != EventKind.DELTA) {
      return null;
    }
    if (slots.size() == 1) {
      String text = slots.getFirst().text();
      return text.isEmpty() ? null : text;
    }
    var joined = new StringBuilder();
    slots.forEach(slot -> joined.append(slot.text()));
    return joined.isEmpty() ? null : joined.toString();
  }

  /**
   * The event with its text replaced by {@code text}, everything else byte for byte as it was; the
   * same array when the event has no text field (kind other than {@link EventKind#DELTA}) or
   * already holds exactly this text. With several text fields the text goes into the first that
   * holds any (else the first) and the others are emptied, so a refusal stays a refusal. The text
   * may be empty (a filter holding text back), and an event with an empty text field may be given
   * text (a filter releasing held text at the end: a past delta event is a template for a new one).
   * Token data beside a changed text ({@code logprobs}) is replaced by null or an empty list, so
   * it does not spell the original text.
   */
  public byte[] withDeltaText(String text) {
    Objects.requireNonNull(text, "text");
    if (kind != EventKind.DELTA) {
      return raw;
    }
    Slot target = slots.stream().filter(slot -> !slot.text().isEmpty()).findFirst().orElse(slots.getFirst());
    Map<JsonPointer, JsonNode> changes = new LinkedHashMap<>();
    if (!target.text().equals(text)) {
      ResponseText.change(changes, target, text);
    }
    for (Slot slot : slots) {
      if (slot != target && !slot.text().isEmpty()) {
        ResponseText.change(changes, slot, "");
      }
    }
    return splice(changes);
  }

  /** Whether this event repeats whole texts of the answer ({@link EventKind#WHOLE_TEXT}). */
  public boolean carriesWholeText() {
    return kind == EventKind.WHOLE_TEXT;
  }

  /** The whole texts this event repeats, in order; empty unless {@link #carriesWholeText()}. */
  public List<String> wholeTexts() {
    return kind == EventKind.WHOLE_TEXT ? slots.stream().map(Slot::text).toList() : List.of();
  }

  /**
   * For an event that repeats whole texts (OpenAI Responses' {@code .done} events and
   * {@code response.completed}), the event with {@code edit} applied to each whole text, so that
   * it agrees with the edited deltas; any other event, or an edit that changes nothing, gives the
   * same array.
   */
  public byte[] rewriteWholeTexts(UnaryOperator<String> edit) {
    return kind == EventKind.WHOLE_TEXT ? splice(ResponseText.edits(slots, edit)) : raw;
  }

  private byte[] splice(Map<JsonPointer, JsonNode> changes) {
    return changes.isEmpty() ? raw
        : JsonSplice.replace(raw, frame.data(), frame.dataOffset(), frame.dataLength(), changes, frame::rawPosition);
  }
}
