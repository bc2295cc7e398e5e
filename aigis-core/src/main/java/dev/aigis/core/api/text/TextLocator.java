package dev.aigis.core.api.text;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;

/**
 * Where one client API keeps the answer's text, as {@link Slot}s found on a parsed JSON tree: in a
 * whole body, in a stream event that adds to the answer (a delta), and in a stream event that
 * repeats a whole text so far. One implementation per client format; {@link ResponseText} does the
 * reading, the SSE framing and the byte-exact rewriting for all of them.
 *
 * <p>Stateless and thread-safe.
 */
abstract sealed class TextLocator
    permits ChatCompletionsText, CompletionsText, AnthropicMessagesText, ResponsesText, GeminiText, NoText {

  /** The texts of a whole answer the user sees, in reading order. */
  abstract void bodySlots(JsonNode body, List<Slot> out);

  /**
   * Copies of text that rewriting must change too but reading must not count twice (the Responses
   * {@code output_text} convenience field).
   */
  void bodyEchoSlots(JsonNode body, List<Slot> out) {}

  /**
   * Whether this format's events say what they are in a top-level {@code type} field (Anthropic,
   * Responses); such events are classified by {@link #kindOf} before the JSON tree is built.
   */
  boolean typedEvents() {
    return false;
  }

  /**
   * What an event of this {@code type} may carry ({@link EventKind#NONE} lets it pass without a
   * parse); only asked when {@link #typedEvents()}.
   */
  EventKind kindOf(String type) {
    return EventKind.DELTA;
  }

  /** The text slots of a stream event that adds to the answer; {@code type} is null for untyped formats. */
  abstract void deltaSlots(String type, JsonNode data, List<Slot> out);

  /** The slots of a stream event that repeats whole texts so far. */
  void wholeTextSlots(String type, JsonNode data, List<Slot> out) {}

  /** Adds a slot for {@code parent.field} when it is a string. */
  static void stringAt(JsonNode parent, String field, JsonPointer parentAt, List<Slot> out) {
    stringAt(parent, field, parentAt, null, out);
  }

  /** Adds a slot for {@code parent.field} when it is a string, with the token data that spells it. */
  static void stringAt(JsonNode parent, String field, JsonPointer parentAt, Slot.Tokens tokens, List<Slot> out) {
    JsonNode value = parent.get(field);
    if (value != null && value.isTextual()) {
      out.add(new Slot(parentAt.appendProperty(field), value.textValue(), tokens));
    }
  }

  /**
   * The token data in {@code owner.field} when there is any (not missing, null or empty), to be
   * replaced by {@code neutral} once its text is edited.
   */
  static Slot.Tokens tokens(JsonNode owner, String field, JsonPointer ownerAt, JsonNode neutral) {
    JsonNode value = owner.get(field);
    if (value == null || value.isNull() || value.isContainerNode() && value.isEmpty()) {
      return null;
    }
    return new Slot.Tokens(ownerAt.appendProperty(field), neutral);
  }

  /** What replaces OpenAI's {@code logprobs} object of an edited chat or completions choice. */
  static final JsonNode NULL = NullNode.getInstance();

  /** What replaces the {@code logprobs} list of an edited Responses text. */
  static final JsonNode EMPTY_ARRAY = JsonNodeFactory.instance.arrayNode();

  /** The node when it is an array, else an empty one: a malformed answer must not throw. */
  static JsonNode array(JsonNode node) {
    return node.isArray() ? node : MissingNode.getInstance();
  }

  static JsonPointer root() {
    return JsonPointer.empty();
  }

  static boolean typeIs(JsonNode node, String type) {
    return type.equals(node.path("type").textValue());
  }

  /**
   * The element of an OpenAI {@code choices} array with {@code index} 0 (or the first, when
   * choices carry no index): with {@code n > 1} the choices interleave, and only the first is the
   * answer's text stream here.
   */
  static int firstChoice(JsonNode choices) {
    if (!choices.isArray()) {
      return -1;
    }
    for (int i = 0; i < choices.size(); i++) {
      JsonNode index = choices.get(i).get("index");
      if (index == null ? i == 0 : index.isIntegralNumber() && index.intValue() == 0) {
        return i;
      }
    }
    return -1;
  }
}
