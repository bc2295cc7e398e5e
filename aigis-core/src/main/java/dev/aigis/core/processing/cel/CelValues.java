package dev.aigis.core.processing.cel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.primitives.UnsignedLong;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.MutableHeaders;
import dev.aigis.core.usage.TokenUsage;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Conversions between JSON, headers and usage on one side and CEL's Java values on the other. */
final class CelValues {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CelValues() {}

  /**
   * The last text {@code json()} converted on this thread and its value. Every processor of a chain
   * typically calls {@code json(request.body)} on the same body; converting it once instead of once
   * per processor is most of a chain's cost. CEL values are never mutated, so sharing is safe.
   */
  private static final ThreadLocal<Object[]> LAST_PARSED = ThreadLocal.withInitial(() -> new Object[2]);

  /** The {@code json(string)} function: objects become maps, arrays lists, integers int, other numbers double. */
  static Object parseJson(String text) throws CelEvaluationException {
    Object[] last = LAST_PARSED.get();
    if (text.equals(last[0])) {
      return last[1];
    }
    Object value = convert(text);
    last[0] = text;
    last[1] = value;
    return value;
  }

  private static Object convert(String text) throws CelEvaluationException {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      // Jackson's message may quote the input; keep it out.
      throw new CelEvaluationException("json(): argument is not valid JSON");
    }
    if (tree == null || tree.isMissingNode()) {
      throw new CelEvaluationException("json(): argument is empty");
    }
    return fromJson(tree);
  }

  static Object fromJson(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, node.size() * 2));
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          map.put(field.getKey(), fromJson(field.getValue()));
        }
        yield map;
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode element : node) {
          list.add(fromJson(element));
        }
        yield list;
      }
      case NUMBER -> node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
      case STRING -> node.textValue();
      case BOOLEAN -> node.booleanValue();
      case BINARY -> node.asText();
      default -> NullValue.NULL_VALUE;
    };
  }

  /**
   * A CEL result as JSON; strings, ints, doubles, bools, null, lists and maps. Refused when its JSON
   * would be longer than {@code maxBytes} (counted roughly: text length, a few bytes per other
   * value): a list that repeats a large string is small in memory but not on the wire.
   */
  static JsonNode toJson(Object value, long maxBytes) {
    return new JsonBuilder(maxBytes).toJson(value);
  }

  private static final class JsonBuilder {
    private final long maxBytes;
    private long bytes;

    JsonBuilder(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    private void count(long more) {
      bytes += more;
      if (bytes > maxBytes) {
        throw new IllegalArgumentException("the value is larger than " + maxBytes + " bytes");
      }
    }

    JsonNode toJson(Object value) {
      count(value instanceof String s ? s.length() + 2 : 4);
      return switch (value) {
        case null -> NODES.nullNode();
        case NullValue n -> NODES.nullNode();
        case String s -> NODES.textNode(s);
        case Long l -> NODES.numberNode(l);
        case Integer i -> NODES.numberNode(i);
        case Double d -> NODES.numberNode(d);
        case Float f -> NODES.numberNode(f);
        case Boolean b -> NODES.booleanNode(b);
        case UnsignedLong u -> NODES.numberNode(u.bigIntegerValue());
        case List<?> list -> {
          ArrayNode array = NODES.arrayNode(list.size());
          for (Object element : list) {
            array.add(toJson(element));
          }
          yield array;
        }
        case Map<?, ?> map -> {
          ObjectNode object = NODES.objectNode();
          for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            count(key.length() + 3);
            object.set(key, toJson(entry.getValue()));
          }
          yield object;
        }
        default -> throw new IllegalArgumentException("a value of type " + value.getClass().getSimpleName() + " is not JSON");
      };
    }
  }

  /** Header names lower-cased; repeated headers joined with a comma (RFC 9110, section 5.3). */
  static Map<String, String> headers(MutableHeaders headers) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : headers.entries()) {
      map.merge(header.getKey().toLowerCase(Locale.ROOT), header.getValue(), (a, b) -> a + "," + b);
    }
    return map;
  }

  static Map<String, Long> usage(TokenUsage usage) {
    TokenUsage u = usage == null ? TokenUsage.NONE : usage;
    return Map.of("input", u.input(), "output", u.output(), "total", u.total(), "cached_input", u.cachedInput(),
        "reasoning", u.reasoning());
  }
}
