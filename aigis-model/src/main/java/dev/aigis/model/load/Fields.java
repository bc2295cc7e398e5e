package dev.aigis.model.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.model.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A strict reader over one YAML mapping: fields outside the declared set are reported, as are wrong
 * types and missing required fields. Readers return null (or a neutral value) after reporting, so a
 * binder carries on and collects every error in the document; a document with errors is discarded.
 * A field written as {@code null} counts as absent, as in Kubernetes.
 *
 * <p>Public so that each processor type reads its own block
 * ({@link dev.aigis.model.processing.ProcessorType#read}); only the loader creates one, and every
 * error it reports carries the file, the line of the field, the resource and the field path.
 *
 * <p>In probe mode ({@link FieldProbe}) there is no node: every accessor records the field's shape
 * and whether it was read as required, answers presence and choices from the probe's scenario, and
 * returns nothing for scalars, so running a reader describes the fields it accepts ({@link SpecSchema}).
 */
public final class Fields {

  private static final FieldProbe.Shape INTEGER = new FieldProbe.Shape.Scalar("integer", "int32", null, null);
  private static final FieldProbe.Shape DURATION =
      new FieldProbe.Shape.Scalar("string", null, null, dev.aigis.model.Durations.SYNTAX);

  private final JsonNode node;
  private final String path;
  private final Issues issues;
  private final FieldProbe probe;

  private Fields(JsonNode node, String path, Issues issues, FieldProbe probe) {
    this.node = node;
    this.path = path;
    this.issues = issues;
    this.probe = probe;
  }

  /** A probe-mode reader over the mapping at {@code path}, allowing {@code allowed}. */
  static Fields probe(FieldProbe probe, String path, Issues issues, String... allowed) {
    probe.visit(path, List.of(allowed));
    return new Fields(null, path, issues, probe);
  }

  private void record(String field, FieldProbe.Shape shape, boolean required) {
    if (probe != null) {
      probe.record(path, field, shape, required);
    }
  }

  private static FieldProbe.Shape scalar(String type) {
    return new FieldProbe.Shape.Scalar(type, null, null, null);
  }

  /** Reads {@code json} as a mapping with the {@code allowed} fields, or reports and returns null. */
  static Fields of(JsonNode json, String path, Issues issues, String... allowed) {
    if (!json.isObject()) {
      issues.add(path, "expected a mapping, got " + describe(json));
      return null;
    }
    Set<String> known = Set.of(allowed);
    for (Map.Entry<String, JsonNode> field : json.properties()) {
      String name = field.getKey();
      if (!known.contains(name)) {
        issues.add(FieldPaths.field(path, name), "unknown field");
      }
    }
    return new Fields(json, path, issues, null);
  }

  public String path() {
    return path;
  }

  public String path(String field) {
    return FieldPaths.field(path, field);
  }

  Issues issues() {
    return issues;
  }

  public void error(String field, String message) {
    issues.add(path(field), message);
  }

  public boolean has(String field) {
    if (probe != null) {
      return probe.has(path(field));
    }
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  private JsonNode value(String field, boolean required) {
    if (probe != null) {
      return null;
    }
    if (has(field)) {
      return node.get(field);
    }
    if (required) {
      error(field, "required field is missing");
    }
    return null;
  }

  /**
   * {@code text}, the value of {@code field}, as a URI; null (with an error on the field) when it
   * does not parse. The value is never echoed: a URL may carry user info.
   */
  java.net.URI uri(String field, String text) {
    try {
      return new java.net.URI(text);
    } catch (java.net.URISyntaxException e) {
      error(field, "invalid URL: " + e.getReason());
      return null;
    }
  }

  public String string(String field) {
    record(field, scalar("string"), false);
    return text(field, false);
  }

  public String requiredString(String field) {
    record(field, scalar("string"), true);
    return text(field, true);
  }

  private String text(String field, boolean required) {
    JsonNode value = value(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      error(field, "expected a string, got " + describe(value));
      return null;
    }
    if (required && value.textValue().isEmpty()) {
      error(field, "must not be empty");
    }
    return value.textValue();
  }

  public Integer integer(String field) {
    record(field, INTEGER, false);
    return integer(field, false);
  }

  /** 0 when missing or mistyped, after reporting. */
  public int requiredInt(String field) {
    record(field, INTEGER, true);
    Integer value = integer(field, true);
    return value == null ? 0 : value;
  }

  private Integer integer(String field, boolean required) {
    JsonNode value = value(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber()) {
      error(field, "expected an integer, got " + describe(value));
      return null;
    }
    if (!value.canConvertToInt()) {
      error(field, "integer " + value.bigIntegerValue() + " is out of range");
      return null;
    }
    return value.intValue();
  }

  /** A YAML number, integer or decimal, kept exact; null when missing or mistyped, after reporting. */
  public BigDecimal decimal(String field, boolean required) {
    record(field, scalar("number"), required);
    return number(field, required);
  }

  /**
   * A number the CRD schema bounds to {@code range}. Not checked here: the processor type's validation
   * checks it with the same {@link Range}, so the message stays where it has always been reported.
   */
  public BigDecimal decimal(String field, boolean required, Range range) {
    record(field, new FieldProbe.Shape.Scalar("number", null, null, null, range), required);
    return number(field, required);
  }

  private BigDecimal number(String field, boolean required) {
    JsonNode value = value(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isNumber()) {
      error(field, "expected a number, got " + describe(value));
      return null;
    }
    return value.decimalValue();
  }

  /** Whether {@code field} is written as a list with no elements (not: absent, or all elements unreadable). */
  public boolean emptyList(String field) {
    if (probe != null) {
      return false;
    }
    JsonNode value = node.get(field);
    return value != null && value.isArray() && value.isEmpty();
  }

  public boolean bool(String field, boolean absent) {
    record(field, scalar("boolean"), false);
    JsonNode value = value(field, false);
    if (value == null) {
      return absent;
    }
    if (!value.isBoolean()) {
      error(field, "expected true or false, got " + describe(value));
      return absent;
    }
    return value.booleanValue();
  }

  public Duration duration(String field) {
    record(field, DURATION, false);
    String text = text(field, false);
    if (text == null) {
      return null;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      error(field, e.getMessage());
      return null;
    }
  }

  /** One of {@code allowed} by its exact name; messages list the accepted names. */
  @SafeVarargs
  public final <E extends Enum<E>> E choice(String field, boolean required, E... allowed) {
    String text = choice(field, required, Arrays.stream(allowed).map(Enum::name).toList());
    return text == null ? null
        : Arrays.stream(allowed).filter(candidate -> candidate.name().equals(text)).findFirst().orElseThrow();
  }

  /** One of {@code allowed}, exactly; the message lists them in order. */
  public String choice(String field, boolean required, List<String> allowed) {
    record(field, new FieldProbe.Shape.Scalar("string", null, List.copyOf(allowed), null), required);
    if (probe != null) {
      return probe.choice(path(field));
    }
    String text = text(field, required);
    if (text == null) {
      return null;
    }
    if (allowed.contains(text)) {
      return text;
    }
    error(field, "must be one of " + String.join(", ", allowed) + " (got \"" + text + "\")");
    return null;
  }

  public Fields object(String field, String... allowed) {
    return object(field, false, allowed);
  }

  public Fields requiredObject(String field, String... allowed) {
    return object(field, true, allowed);
  }

  private Fields object(String field, boolean required, String... allowed) {
    if (probe != null) {
      record(field, new FieldProbe.Shape.Mapping(path(field)), required);
      return probe(probe, path(field), issues, allowed);
    }
    JsonNode value = value(field, required);
    return value == null ? null : of(value, path(field), issues, allowed);
  }

  /** A list of mappings; elements that fail to read are left out (their errors are reported). */
  public <T> List<T> objects(String field, boolean required, List<String> allowed, Function<Fields, T> element) {
    if (probe != null) {
      String elements = path(field) + "[]";
      record(field, new FieldProbe.Shape.ListOf(new FieldProbe.Shape.Mapping(elements)), required);
      T read = element.apply(probe(probe, elements, issues, allowed.toArray(String[]::new)));
      List<T> out = new ArrayList<>();
      if (read != null) {
        out.add(read);
      }
      return out;
    }
    return list(field, required, (json, elementPath) -> {
      Fields fields = of(json, elementPath, issues, allowed.toArray(String[]::new));
      return fields == null ? null : element.apply(fields);
    });
  }

  public List<String> strings(String field) {
    return strings(field, false);
  }

  /** A required list of strings (it may be empty: the caller says whether that is allowed). */
  public List<String> requiredStrings(String field) {
    return strings(field, true);
  }

  private List<String> strings(String field, boolean required) {
    record(field, new FieldProbe.Shape.ListOf(scalar("string")), required);
    return list(field, required, (json, elementPath) -> {
      if (json.isTextual()) {
        return json.textValue();
      }
      issues.add(elementPath, "expected a string, got " + describe(json));
      return null;
    });
  }

  /** A list of integers, e.g. HTTP status codes; null when absent. */
  public List<Integer> integers(String field) {
    record(field, new FieldProbe.Shape.ListOf(INTEGER), false);
    return list(field, false, (json, elementPath) -> {
      if (json.isIntegralNumber() && json.canConvertToInt()) {
        return json.intValue();
      }
      issues.add(elementPath, "expected an integer, got " + describe(json));
      return null;
    });
  }

  private <T> List<T> list(String field, boolean required, ElementReader<T> element) {
    JsonNode value = value(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      error(field, "expected a list, got " + describe(value));
      return null;
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      T read = element.read(value.get(i), FieldPaths.index(path(field), i));
      if (read != null) {
        out.add(read);
      }
    }
    return out;
  }

  /**
   * A mapping of strings to strings, in file order. Values are never echoed: the same reader serves
   * Secret data.
   */
  public Map<String, String> stringMap(String field) {
    record(field, new FieldProbe.Shape.StringMap(), false);
    JsonNode value = value(field, false);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      error(field, "expected a mapping, got " + describe(value));
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      if (entry.getValue().isTextual()) {
        out.put(entry.getKey(), entry.getValue().textValue());
      } else {
        issues.add(FieldPaths.field(path(field), entry.getKey()), "expected a string, got " + describe(entry.getValue()));
      }
    }
    return out;
  }

  private interface ElementReader<T> {
    T read(JsonNode json, String path);
  }

  static String describe(JsonNode value) {
    return switch (value.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "a list";
      case OBJECT -> "a mapping";
      case NULL, MISSING -> "nothing";
      default -> "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
