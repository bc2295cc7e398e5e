package dev.aigis.model.load;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One run of a reader against no document: {@link Fields} in probe mode answers from a scenario (which
 * fields are present, which value a choice has) instead of a YAML node, and records every call the
 * reader makes: the fields each mapping allows, the shape each field is read as, and which are read as
 * required. {@link SpecSchema} runs a reader under many scenarios and merges the runs into a schema.
 * Paths are field paths with {@code []} for "any element", as in {@code spec.rules[].limit}.
 */
final class FieldProbe {

  /** How a field is read. Nested mappings are named by path; their fields are recorded under it. */
  sealed interface Shape {
    /** {@code enumValues} for a choice, {@code pattern} for a duration, {@code range} for a bounded number; each may be null. */
    record Scalar(String type, String format, List<String> enumValues, String pattern, Range range) implements Shape {
      Scalar(String type, String format, List<String> enumValues, String pattern) {
        this(type, format, enumValues, pattern, null);
      }
    }

    record Mapping(String path) implements Shape {}

    record ListOf(Shape items) implements Shape {}

    /** String keys to string values ({@code labels}, {@code headers}, {@code entities}). */
    record StringMap() implements Shape {}
  }

  /** Something a scenario sets: the field at {@code path} is present, with {@code choice} as its value if a choice. */
  record Item(String path, String choice) {}

  private final Set<String> present = new LinkedHashSet<>();
  private final Map<String, String> choices = new LinkedHashMap<>();

  final Map<String, List<String>> allowed = new LinkedHashMap<>();
  final Map<String, Map<String, Shape>> shapes = new LinkedHashMap<>();
  final Map<String, Set<String>> required = new LinkedHashMap<>();
  /** Choice fields seen and their values, so the explorer can try each value. */
  final Map<String, List<String>> choiceFields = new LinkedHashMap<>();

  FieldProbe(Set<Item> scenario) {
    for (Item item : scenario) {
      present.add(item.path());
      if (item.choice() != null) {
        choices.put(item.path(), item.choice());
      }
    }
  }

  void visit(String path, List<String> fields) {
    List<String> before = allowed.putIfAbsent(path, List.copyOf(fields));
    if (before != null && !before.equals(fields)) {
      throw new IllegalStateException(path + " is read with two field sets: " + before + " and " + fields);
    }
  }

  /** A reader read {@code field} of the mapping at {@code path} as {@code shape}. */
  void record(String path, String field, Shape shape, boolean isRequired) {
    Shape before = shapes.computeIfAbsent(path, p -> new LinkedHashMap<>()).putIfAbsent(field, shape);
    if (before != null && !before.equals(shape)) {
      throw new IllegalStateException(FieldPaths.field(path, field) + " is read as " + before + " and as " + shape);
    }
    if (isRequired) {
      required.computeIfAbsent(path, p -> new LinkedHashSet<>()).add(field);
    }
    if (shape instanceof Shape.Scalar scalar && scalar.enumValues() != null) {
      choiceFields.put(FieldPaths.field(path, field), scalar.enumValues());
    }
  }

  boolean has(String fieldPath) {
    return present.contains(fieldPath);
  }

  /** The scenario's value for a choice, or null (as a reader sees a missing or refused choice). */
  String choice(String fieldPath) {
    return choices.get(fieldPath);
  }

  /** What a following scenario may add: each allowed field present, each choice with each of its values. */
  Set<Item> nextItems() {
    Set<Item> items = new LinkedHashSet<>();
    allowed.forEach((path, fields) -> fields.forEach(field -> items.add(new Item(FieldPaths.field(path, field), null))));
    choiceFields.forEach((path, values) -> values.forEach(value -> items.add(new Item(path, value))));
    return items;
  }

  @Override
  public String toString() {
    return "probe " + present + " " + Objects.toString(choices);
  }
}
