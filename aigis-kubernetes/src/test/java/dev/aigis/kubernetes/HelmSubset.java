package dev.aigis.kubernetes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the part of Go's text/template the chart's RBAC and Deployment templates use, for tests on a
 * machine without helm: {@code {{ .Path }}}, {@code {{ $.Path }}}, {@code {{ $var }}}, {@code {{ . }}},
 * {@code if}/{@code else}/{@code end} on a value's truthiness, {@code range} over a list (with or without
 * {@code $var :=}), and {@code {{-}}/{@code -}}} whitespace trimming as Go has it. Anything else fails
 * the test, so a template that outgrows this subset is noticed rather than rendered wrong.
 */
final class HelmSubset {

  private static final Pattern ACTION = Pattern.compile("\\{\\{(-?)\\s*(.*?)\\s*(-?)}}", Pattern.DOTALL);

  private sealed interface Node {}
  private record Text(String text) implements Node {}
  private record Value(String expression) implements Node {}
  private record If(String condition, List<Node> then, List<Node> otherwise) implements Node {}
  private record Range(String variable, String list, List<Node> body) implements Node {}

  private HelmSubset() {}

  /** {@code template} rendered with {@code .Values}, {@code .Release.Name} and {@code .Release.Namespace}. */
  static String render(String template, Map<String, Object> values, String release, String namespace) {
    Map<String, Object> root = Map.of("Values", values, "Release", Map.of("Name", release, "Namespace", namespace));
    List<Object> tokens = tokens(template);
    List<Node> nodes = new ArrayList<>();
    int end = parse(tokens, 0, nodes);
    if (end != tokens.size()) {
      throw new IllegalArgumentException("unbalanced " + tokens.get(end));
    }
    StringBuilder out = new StringBuilder();
    run(nodes, root, root, new HashMap<>(), out);
    return out.toString();
  }

  /** Text as String, actions as String[]{body}; trimming applied to the neighbouring text. */
  private static List<Object> tokens(String template) {
    List<Object> tokens = new ArrayList<>();
    Matcher matcher = ACTION.matcher(template);
    int at = 0;
    boolean trimNext = false;
    while (matcher.find()) {
      String text = template.substring(at, matcher.start());
      if (trimNext) {
        text = text.stripLeading();
      }
      if (!matcher.group(1).isEmpty()) {
        text = text.stripTrailing();
      }
      tokens.add(text);
      tokens.add(new String[] {matcher.group(2)});
      trimNext = !matcher.group(3).isEmpty();
      at = matcher.end();
    }
    String rest = template.substring(at);
    tokens.add(trimNext ? rest.stripLeading() : rest);
    return tokens;
  }

  /** Parses from {@code i} into {@code into} until an {@code else} or {@code end}; returns that token's index. */
  private static int parse(List<Object> tokens, int i, List<Node> into) {
    while (i < tokens.size()) {
      Object token = tokens.get(i);
      if (token instanceof String text) {
        into.add(new Text(text));
        i++;
        continue;
      }
      String action = ((String[]) token)[0];
      if (action.equals("end") || action.equals("else")) {
        return i;
      }
      if (action.startsWith("if ")) {
        List<Node> then = new ArrayList<>();
        List<Node> otherwise = new ArrayList<>();
        i = parse(tokens, i + 1, then);
        if (((String[]) tokens.get(i))[0].equals("else")) {
          i = parse(tokens, i + 1, otherwise);
        }
        into.add(new If(action.substring(3).trim(), then, otherwise));
      } else if (action.startsWith("range ")) {
        String spec = action.substring(6).trim();
        String variable = null;
        if (spec.contains(":=")) {
          variable = spec.substring(0, spec.indexOf(":=")).trim();
          spec = spec.substring(spec.indexOf(":=") + 2).trim();
        }
        List<Node> body = new ArrayList<>();
        i = parse(tokens, i + 1, body);
        into.add(new Range(variable, spec, body));
      } else {
        into.add(new Value(action));
      }
      if (!(into.getLast() instanceof Value) && !((String[]) tokens.get(i))[0].equals("end")) {
        throw new IllegalArgumentException("expected end, got " + ((String[]) tokens.get(i))[0]);
      }
      i++;
    }
    return i;
  }

  private static void run(List<Node> nodes, Object dot, Map<String, Object> root, Map<String, Object> variables,
      StringBuilder out) {
    for (Node node : nodes) {
      switch (node) {
        case Text(String text) -> out.append(text);
        case Value(String expression) -> out.append(value(expression, dot, root, variables));
        case If(String condition, List<Node> then, List<Node> otherwise) ->
            run(truthy(value(condition, dot, root, variables)) ? then : otherwise, dot, root, variables, out);
        case Range(String variable, String list, List<Node> body) -> {
          Object items = value(list, dot, root, variables);
          for (Object item : items == null ? List.of() : (List<?>) items) {
            Map<String, Object> scope = new HashMap<>(variables);
            if (variable != null) {
              scope.put(variable, item);
            }
            run(body, item, root, scope, out);
          }
        }
      }
    }
  }

  private static Object value(String expression, Object dot, Map<String, Object> root, Map<String, Object> variables) {
    if (expression.equals(".")) {
      return dot;
    }
    Object current;
    String path;
    if (expression.startsWith("$.")) {
      current = root;
      path = expression.substring(2);
    } else if (expression.startsWith("$")) {
      if (!variables.containsKey(expression)) {
        throw new IllegalArgumentException("unsupported in this subset: " + expression);
      }
      return variables.get(expression);
    } else if (expression.startsWith(".")) {
      current = dot;
      path = expression.substring(1);
    } else {
      throw new IllegalArgumentException("unsupported in this subset: " + expression);
    }
    for (String part : path.split("\\.")) {
      current = current instanceof Map<?, ?> map ? map.get(part) : null;
    }
    return current;
  }

  private static boolean truthy(Object value) {
    return switch (value) {
      case null -> false;
      case Boolean b -> b;
      case List<?> list -> !list.isEmpty();
      case Map<?, ?> map -> !map.isEmpty();
      case String s -> !s.isEmpty();
      case Number n -> n.doubleValue() != 0;
      default -> true;
    };
  }
}
