package dev.aigis.core.processing.cel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.model.processing.JsonPaths;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONPath subset body mutations accept: a root {@code $} followed by member names
 * ({@code .name} or {@code ['name']}, {@code ["name"]} with backslash escapes) and array indexes
 * ({@code [0]}). No wildcards, slices, filters or recursive descent: a mutation names one field.
 * Immutable and thread-safe once parsed.
 */
final class JsonPath {

  private final String text;
  /** Each a String (member) or an Integer (index). */
  private final Object[] segments;

  private JsonPath(String text, Object[] segments) {
    this.text = text;
    this.segments = segments;
  }

  /**
   * Parses with the configuration's own JSONPath grammar ({@link JsonPaths}), so what validation
   * accepts and what the processor applies can never differ.
   *
   * @throws IllegalArgumentException with a message naming the offending position
   */
  static JsonPath parse(String text) {
    List<Object> segments = new ArrayList<>();
    for (JsonPaths.Segment segment : JsonPaths.parse(text)) {
      segments.add(switch (segment) {
        case JsonPaths.Segment.Field field -> field.name();
        case JsonPaths.Segment.Index index -> index.index();
      });
    }
    return new JsonPath(text, segments.toArray());
  }


  /**
   * Sets the value, creating missing intermediate objects (or arrays, before an index). An index may
   * name an existing element or the next one (append).
   *
   * @throws IllegalArgumentException when a step meets a value of the wrong kind or an index beyond the end
   */
  void set(JsonNode root, JsonNode value) {
    JsonNode node = root;
    for (int s = 0; s < segments.length; s++) {
      boolean last = s == segments.length - 1;
      Object segment = segments[s];
      Object nextSegment = last ? null : segments[s + 1];
      if (segment instanceof String name) {
        if (!(node instanceof ObjectNode object)) {
          throw new IllegalArgumentException(text + ": " + prefix(s) + " is not an object");
        }
        if (last) {
          object.set(name, value);
          return;
        }
        JsonNode child = object.get(name);
        if (child == null || child.isNull()) {
          child = nextSegment instanceof Integer ? object.putArray(name) : object.putObject(name);
        }
        node = child;
      } else {
        int index = (Integer) segment;
        if (!(node instanceof ArrayNode array)) {
          throw new IllegalArgumentException(text + ": " + prefix(s) + " is not an array");
        }
        if (index > array.size()) {
          throw new IllegalArgumentException(text + ": index " + index + " is beyond the end of " + prefix(s));
        }
        if (last) {
          if (index == array.size()) {
            array.add(value);
          } else {
            array.set(index, value);
          }
          return;
        }
        JsonNode child = index < array.size() ? array.get(index) : null;
        if (child == null || child.isNull()) {
          child = nextSegment instanceof Integer ? array.arrayNode() : array.objectNode();
          if (index == array.size()) {
            array.add(child);
          } else {
            array.set(index, child);
          }
        }
        node = child;
      }
    }
  }

  /** Removes the field or element; a no-op when it (or a step on the way) is absent or of another kind. */
  void remove(JsonNode root) {
    JsonNode node = root;
    for (int s = 0; s < segments.length && node != null; s++) {
      boolean last = s == segments.length - 1;
      Object segment = segments[s];
      if (segment instanceof String name) {
        if (!(node instanceof ObjectNode object)) {
          return;
        }
        if (last) {
          object.remove(name);
          return;
        }
        node = object.get(name);
      } else {
        int index = (Integer) segment;
        if (!(node instanceof ArrayNode array) || index >= array.size()) {
          return;
        }
        if (last) {
          array.remove(index);
          return;
        }
        node = array.get(index);
      }
    }
  }

  private String prefix(int segmentCount) {
    StringBuilder sb = new StringBuilder("$");
    for (int s = 0; s < segmentCount; s++) {
      if (segments[s] instanceof String name) {
        sb.append("['").append(name).append("']");
      } else {
        sb.append('[').append(segments[s]).append(']');
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
