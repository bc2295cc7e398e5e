package dev.aigis.core.guard.signature;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a rule file with Jackson's streaming YAML parser, which knows each token's line, so every
 * error names file, line, rule and field. Unknown fields are errors: a misspelt {@code patern}
 * would otherwise silently switch a rule off.
 */
final class RuleFileParser {

  private static final YAMLFactory YAML = YAMLFactory.builder().build();
  private static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private RuleFileParser() {}

  /** A rule with its patterns compiled; {@code line} is where its id is. */
  record Compiled(SignatureRule rule, List<Pattern> patterns, List<Prefilter> prefilters, int line) {}

  private record Problem(int line, String field, String message) {}

  static List<Compiled> parse(String source, String yaml) throws RuleFileException {
    List<Compiled> rules = new ArrayList<>();
    try (JsonParser p = YAML.createParser(yaml)) {
      JsonToken token = p.nextToken();
      if (token == null) {
        return rules;
      }
      if (token != JsonToken.START_OBJECT) {
        throw new RuleFileException(source, line(p), null, null, "expected a mapping with a 'rules' list");
      }
      Set<String> ids = new HashSet<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int nameLine = line(p);
        if (!name.equals("rules")) {
          throw new RuleFileException(source, nameLine, null, name, "unknown field (expected 'rules')");
        }
        token = p.nextToken();
        if (token == JsonToken.VALUE_NULL || (token == JsonToken.VALUE_STRING && p.getText().isEmpty())) {
          continue; // "rules:" with nothing under it
        }
        if (token != JsonToken.START_ARRAY) {
          throw new RuleFileException(source, nameLine, null, "rules", "expected a list of rules");
        }
        int index = 0;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
          if (token != JsonToken.START_OBJECT) {
            throw new RuleFileException(source, line(p), null, "rules[" + index + "]", "expected a mapping");
          }
          Compiled rule = parseRule(source, p, index);
          if (!ids.add(rule.rule().id())) {
            throw new RuleFileException(source, rule.line, rule.rule().id(), "id", "duplicate id in this file");
          }
          rules.add(rule);
          index++;
        }
      }
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new RuleFileException(source, line, null, null, "not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new RuleFileException(source, 0, null, null, "cannot read: " + e.getMessage());
    }
    return rules;
  }

  private static Compiled parseRule(String source, JsonParser p, int index) throws IOException, RuleFileException {
    int ruleLine = line(p);
    String where = "rules[" + index + "]";
    String id = null;
    String category = null;
    String description = "";
    Double weight = null;
    int categoryLine = ruleLine;
    int weightLine = ruleLine;
    int idLine = ruleLine;
    int patternsLine = ruleLine;
    String weightText = null;
    List<String> patterns = null;
    List<Integer> patternLines = new ArrayList<>();
    List<Problem> pending = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      int fieldLine = line(p);
      JsonToken value = p.nextToken();
      switch (field) {
        case "id" -> {
          id = scalar(p, value);
          idLine = fieldLine;
        }
        case "category" -> {
          category = scalar(p, value);
          categoryLine = fieldLine;
        }
        case "description" -> description = value == JsonToken.VALUE_NULL ? "" : scalar(p, value);
        case "weight" -> {
          weightLine = fieldLine;
          weightText = scalar(p, value);
          weight = value.isNumeric() ? p.getDoubleValue() : null;
        }
        case "patterns" -> {
          patternsLine = fieldLine;
          patterns = new ArrayList<>();
          if (value == JsonToken.START_ARRAY) {
            JsonToken element;
            while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
              patternLines.add(line(p));
              patterns.add(element.isScalarValue() && element != JsonToken.VALUE_NULL ? p.getText() : null);
              p.skipChildren();
            }
          } else if (value != JsonToken.VALUE_NULL) {
            pending.add(new Problem(fieldLine, "patterns", "expected a list of patterns"));
            p.skipChildren();
          }
        }
        default -> {
          pending.add(new Problem(fieldLine, field,
              "unknown field (expected id, category, weight, description, patterns)"));
          p.skipChildren();
        }
      }
    }
    // The whole mapping is read first so errors can name the rule even when id comes last.
    String named = id != null ? id : where;
    if (!pending.isEmpty()) {
      Problem first = pending.getFirst();
      throw new RuleFileException(source, first.line(), named, first.field(), first.message());
    }
    if (id == null || id.isEmpty()) {
      throw new RuleFileException(source, ruleLine, where, "id", "missing");
    }
    if (!NAME.matcher(id).matches()) {
      throw new RuleFileException(source, idLine, where, "id", "'" + id + "' must be lowercase letters, digits and '-'");
    }
    if (category == null || category.isEmpty()) {
      throw new RuleFileException(source, ruleLine, id, "category", "missing");
    }
    if (!NAME.matcher(category).matches()) {
      throw new RuleFileException(source, categoryLine, id, "category", "must be lowercase letters, digits and '-'");
    }
    if (weightText == null) {
      throw new RuleFileException(source, ruleLine, id, "weight", "missing");
    }
    if (weight == null || !(weight >= 0 && weight <= 1)) {
      throw new RuleFileException(source, weightLine, id, "weight", "must be a number in [0, 1], got " + weightText);
    }
    if (patterns == null || patterns.isEmpty()) {
      if (weight != 0) {
        throw new RuleFileException(source, patterns == null ? ruleLine : patternsLine, id, "patterns",
            "missing (a rule needs at least one pattern unless its weight is 0)");
      }
      patterns = List.of();
    }
    List<Pattern> compiled = new ArrayList<>(patterns.size());
    List<Prefilter> prefilters = new ArrayList<>(patterns.size());
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      String field = "patterns[" + i + "]";
      if (pattern == null || pattern.isEmpty()) {
        throw new RuleFileException(source, patternLines.get(i), id, field, "must be a non-empty string");
      }
      try {
        compiled.add(Pattern.compile(pattern, Pattern.CASE_INSENSITIVE));
        prefilters.add(Prefilter.of(pattern));
      } catch (PatternSyntaxException e) {
        throw new RuleFileException(source, patternLines.get(i), id, field, e.getDescription());
      }
    }
    return new Compiled(new SignatureRule(id, category, weight, description, patterns, source), List.copyOf(compiled), List.copyOf(prefilters), idLine);
  }

  private static String scalar(JsonParser p, JsonToken value) throws IOException {
    if (value == null || !value.isScalarValue()) {
      p.skipChildren();
      return null;
    }
    return value == JsonToken.VALUE_NULL ? null : p.getText();
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }
}
