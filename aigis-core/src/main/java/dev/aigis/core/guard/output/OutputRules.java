package dev.aigis.core.guard.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.re2j.Pattern;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The category rules of {@code guard/output-rules.yaml}: RE2 patterns matched case-insensitively
 * on normalised text. Immutable and thread-safe.
 */
final class OutputRules {

  /** A rule that matched; never carries the matched text. */
  record Hit(String id, String category, double weight) {}

  private record Rule(String id, String category, double weight, List<Pattern> patterns) {}

  private final List<Rule> rules;
  /** All patterns in one alternation: most windows match nothing, and one scan says so. */
  private final Pattern any;

  private OutputRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
    this.any = Pattern.compile(String.join("|", rules.stream()
        .flatMap(r -> r.patterns().stream()).map(p -> "(?:" + p.pattern() + ")").toList()));
  }

  static OutputRules fromResource(String name) {
    try (InputStream in = OutputRules.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("rules resource " + name + " is missing");
      }
      return parse(new YAMLMapper().readTree(in), name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read rules resource " + name, e);
    }
  }

  static OutputRules parse(JsonNode root, String source) {
    List<Rule> rules = new ArrayList<>();
    for (JsonNode node : root.path("rules")) {
      String id = node.path("id").asText("");
      if (id.isEmpty() || !node.has("category") || !node.path("patterns").isArray()) {
        throw new IllegalArgumentException(source + ": rule " + rules.size() + " needs id, category and patterns");
      }
      List<Pattern> patterns = new ArrayList<>();
      for (JsonNode p : node.path("patterns")) {
        try {
          patterns.add(Pattern.compile("(?i)" + p.asText()));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(source + ": rule " + id + " has an invalid pattern: " + e.getMessage(), e);
        }
      }
      rules.add(new Rule(id, node.path("category").asText(), node.path("weight").asDouble(0.5), patterns));
    }
    return new OutputRules(rules);
  }

  /** The rules that match {@code normalised} (text from {@link #normalise}), in file order. */
  List<Hit> match(String normalised) {
    if (!any.matcher(normalised).find()) {
      return List.of();
    }
    List<Hit> hits = new ArrayList<>();
    for (Rule rule : rules) {
      for (Pattern p : rule.patterns()) {
        if (p.matcher(normalised).find()) {
          hits.add(new Hit(rule.id(), rule.category(), rule.weight()));
          break;
        }
      }
    }
    return hits;
  }

  /** NFKC, lower case, typographic apostrophes straightened, whitespace runs collapsed. */
  static String normalise(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(java.util.Locale.ROOT);
    StringBuilder out = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        if (!space) {
          out.append(' ');
        }
        space = true;
        continue;
      }
      space = false;
      out.append(c == '\u2019' || c == '\u2018' ? '\'' : c);
    }
    return out.toString();
  }
}
