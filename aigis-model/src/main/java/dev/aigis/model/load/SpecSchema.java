package dev.aigis.model.load;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.model.ObjectMeta;
import dev.aigis.model.SourceRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI (v3, Kubernetes structural) schema of a kind's {@code spec}, taken from the kind's reader
 * itself, so the CRDs cannot drift from what the loader accepts: the reader runs in probe mode
 * ({@link FieldProbe}) under every scenario of up to {@value #DEPTH} settings (a field present, a choice
 * with one of its values), starting from an empty spec; each run records the fields every mapping
 * allows and how each is read. Properties are the allowed fields with the type they are read as (choices
 * become enums, durations a pattern, numbers read with a {@link Range} its bounds, string maps
 * {@code additionalProperties}); a field is required when
 * every run that reached its mapping read it as required, so one required only in some cases (an
 * endpoint a Gemini backend may leave out) is not.
 *
 * <p>Cross-field rules (exactly one of) stay with the readers and the compiler, which name the field;
 * the CRDs add CEL rules for a few of them. Generating a schema fails when a reader allows a field
 * it never reads, or reads one field as two shapes.
 */
public final class SpecSchema {

  /** Two settings per scenario reach every branch the readers have (for example a choice plus a present block). */
  static final int DEPTH = 2;

  private static final SourceRef SOURCE = new SourceRef("<schema probe>", 0);
  private static final ObjectMeta METADATA = new ObjectMeta("probe", null, null, null, null);
  private static final Map<String, ObjectNode> CACHE = new ConcurrentHashMap<>();

  private SpecSchema() {}

  /** The kinds with a spec schema: the aigis.dev ones (the Gateway API's schemas come with its CRDs). */
  public static Set<String> kinds() {
    Set<String> kinds = new java.util.TreeSet<>();
    DocumentReader.API_VERSIONS.forEach((kind, apiVersion) -> {
      if (apiVersion.startsWith("aigis.dev/")) {
        kinds.add(kind);
      }
    });
    return kinds;
  }

  /** A fresh copy of {@code kind}'s spec schema; {@link IllegalArgumentException} for a kind without one. */
  public static ObjectNode of(String kind) {
    if (!kinds().contains(kind)) {
      throw new IllegalArgumentException("no spec schema for kind " + kind);
    }
    return CACHE.computeIfAbsent(kind, k -> explore(DocumentReader.READERS.get(k))).deepCopy();
  }

  static ObjectNode explore(DocumentReader.SpecReader reader) {
    Merged merged = new Merged();
    Set<Set<FieldProbe.Item>> seen = new HashSet<>();
    Deque<Set<FieldProbe.Item>> queue = new ArrayDeque<>();
    queue.add(Set.of());
    while (!queue.isEmpty()) {
      Set<FieldProbe.Item> scenario = queue.poll();
      FieldProbe probe = new FieldProbe(scenario);
      Fields doc = Fields.probe(probe, "", new Issues(SOURCE), "apiVersion", "kind", "metadata", "spec");
      try {
        reader.read(doc, METADATA, SOURCE);
      } catch (RuntimeException e) {
        throw new IllegalStateException("the reader failed on " + probe + ": " + e, e);
      }
      merged.add(probe);
      if (scenario.size() >= DEPTH) {
        continue;
      }
      Set<String> set = new HashSet<>();
      scenario.forEach(item -> set.add(item.path()));
      for (FieldProbe.Item item : probe.nextItems()) {
        if (!set.contains(item.path())) {
          Set<FieldProbe.Item> next = new LinkedHashSet<>(scenario);
          next.add(item);
          if (seen.add(next)) {
            queue.add(next);
          }
        }
      }
    }
    return merged.schema("spec");
  }

  /** The runs so far: what each mapping allows, how each field is read, and in how many runs it was required. */
  private static final class Merged {
    private final Map<String, List<String>> allowed = new LinkedHashMap<>();
    private final Map<String, Map<String, FieldProbe.Shape>> shapes = new LinkedHashMap<>();
    private final Map<String, Integer> visits = new LinkedHashMap<>();
    private final Map<String, Map<String, Integer>> required = new LinkedHashMap<>();

    void add(FieldProbe probe) {
      probe.allowed.forEach((path, fields) -> {
        List<String> before = allowed.putIfAbsent(path, fields);
        if (before != null && !before.equals(fields)) {
          throw new IllegalStateException(path + " is read with two field sets: " + before + " and " + fields);
        }
        visits.merge(path, 1, Integer::sum);
      });
      probe.shapes.forEach((path, fields) -> fields.forEach((field, shape) -> {
        FieldProbe.Shape before = shapes.computeIfAbsent(path, p -> new LinkedHashMap<>()).putIfAbsent(field, shape);
        if (before != null && !before.equals(shape)) {
          throw new IllegalStateException(FieldPaths.field(path, field) + " is read as " + before + " and as " + shape);
        }
      }));
      probe.required.forEach((path, fields) ->
          fields.forEach(field -> required.computeIfAbsent(path, p -> new LinkedHashMap<>()).merge(field, 1, Integer::sum)));
    }

    ObjectNode schema(String path) {
      ObjectNode node = JsonNodeFactory.instance.objectNode().put("type", "object");
      List<String> fields = allowed.getOrDefault(path, List.of());
      Map<String, FieldProbe.Shape> read = shapes.getOrDefault(path, Map.of());
      for (String field : read.keySet()) {
        if (!fields.contains(field)) {
          throw new IllegalStateException(FieldPaths.field(path, field) + " is read but not allowed");
        }
      }
      if (fields.isEmpty()) {
        return node;
      }
      ObjectNode properties = node.putObject("properties");
      List<String> requiredFields = new ArrayList<>();
      for (String field : fields) {
        FieldProbe.Shape shape = read.get(field);
        if (shape == null) {
          throw new IllegalStateException(FieldPaths.field(path, field) + " is allowed but never read");
        }
        properties.set(field, json(shape));
        if (required.getOrDefault(path, Map.of()).getOrDefault(field, 0).equals(visits.get(path))) {
          requiredFields.add(field);
        }
      }
      if (!requiredFields.isEmpty()) {
        requiredFields.forEach(node.putArray("required")::add);
      }
      return node;
    }

    private ObjectNode json(FieldProbe.Shape shape) {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      switch (shape) {
        case FieldProbe.Shape.Scalar scalar -> {
          node.put("type", scalar.type());
          if (scalar.format() != null) {
            node.put("format", scalar.format());
          }
          if (scalar.enumValues() != null) {
            scalar.enumValues().forEach(node.putArray("enum")::add);
            // Bounds the API server's CEL cost estimate for rules that compare the value.
            node.put("maxLength", scalar.enumValues().stream().mapToInt(String::length).max().orElse(0));
          }
          if (scalar.pattern() != null) {
            node.put("pattern", scalar.pattern());
          }
          Range range = scalar.range();
          if (range != null && range.minimum() != null) {
            node.put("minimum", range.minimum().doubleValue());
            if (range.exclusiveMinimum()) {
              node.put("exclusiveMinimum", true);
            }
          }
          if (range != null && range.maximum() != null) {
            node.put("maximum", range.maximum().doubleValue());
          }
        }
        case FieldProbe.Shape.Mapping mapping -> node.setAll(schema(mapping.path()));
        case FieldProbe.Shape.ListOf list -> node.put("type", "array").set("items", json(list.items()));
        case FieldProbe.Shape.StringMap map -> node.put("type", "object").putObject("additionalProperties").put("type", "string");
      }
      return node;
    }
  }
}
