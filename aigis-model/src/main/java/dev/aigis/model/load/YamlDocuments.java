package dev.aigis.model.load;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits YAML text into documents, building each tree from the token stream so that every field path
 * keeps the line it was written on (Jackson's own tree loses locations). Empty documents are skipped.
 * A syntax error ends the file: the documents before it are kept and the error is returned.
 */
final class YamlDocuments {

  private static final YAMLFactory YAML = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * One non-empty document: its tree, the line it starts on, the line of each field path, and the
   * paths of keys written more than once in their mapping (the first occurrence is kept in the tree).
   */
  record Document(JsonNode root, int line, Map<String, Integer> lines, Map<String, Integer> duplicateKeys) {}

  /** A syntax error: 1-based line (0 when unknown) and SnakeYAML's description of the problem. */
  record SyntaxError(int line, String problem) {}

  record Parsed(List<Document> documents, SyntaxError error) {}

  private YamlDocuments() {}

  static Parsed parse(String yaml) {
    List<Document> documents = new ArrayList<>();
    JsonParser parser = null;
    try (JsonParser opened = YAML.createParser(yaml)) {
      parser = opened;
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.VALUE_NULL) {
          continue;
        }
        int line = lineOf(parser);
        Map<String, Integer> lines = new HashMap<>();
        Map<String, Integer> duplicates = new HashMap<>();
        JsonNode root = read(parser, "", lines, duplicates);
        documents.add(new Document(root, line, lines, duplicates));
      }
      return new Parsed(documents, null);
    } catch (StreamConstraintsException e) {
      // A limit (nesting deeper than Jackson's 1,000 levels, say) carries no location: the parser's is where it stopped.
      int line = parser == null ? 0 : Math.max(0, parser.currentLocation().getLineNr());
      return new Parsed(documents, new SyntaxError(line, withoutInternals(e.getOriginalMessage())));
    } catch (IOException e) {
      return new Parsed(documents, syntaxError(e));
    }
  }

  /** Jackson's constraint message without its ", from `StreamReadConstraints...`" tail, which means nothing to a user. */
  private static String withoutInternals(String message) {
    int cut = message == null ? -1 : message.indexOf(", from `");
    return cut < 0 ? String.valueOf(message) : message.substring(0, cut) + ")";
  }

  /** Reads the value at the current token; on return the parser is on that value's last token. */
  private static JsonNode read(
      JsonParser parser, String path, Map<String, Integer> lines, Map<String, Integer> duplicates) throws IOException {
    return switch (parser.currentToken()) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          String child = FieldPaths.field(path, key);
          int line = lineOf(parser);
          parser.nextToken();
          JsonNode value = read(parser, child, lines, duplicates);
          if (object.has(key)) {
            duplicates.putIfAbsent(child, line);
            continue;
          }
          lines.put(child, line);
          object.set(key, value);
        }
        yield object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          String child = FieldPaths.index(path, array.size());
          lines.put(child, lineOf(parser));
          array.add(read(parser, child, lines, duplicates));
        }
        yield array;
      }
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT -> NODES.numberNode(parser.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      // Tagged scalars such as !!binary: kept as text so the binder reports a type error, not a crash.
      default -> NODES.textNode(parser.getText());
    };
  }

  private static int lineOf(JsonParser parser) {
    return Math.max(0, parser.currentTokenLocation().getLineNr());
  }

  private static SyntaxError syntaxError(IOException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked) {
        int line = marked.getProblemMark() == null ? 0 : marked.getProblemMark().getLine() + 1;
        return new SyntaxError(line, marked.getProblem());
      }
    }
    int line = e instanceof com.fasterxml.jackson.core.JacksonException j && j.getLocation() != null
        ? Math.max(0, j.getLocation().getLineNr())
        : 0;
    String message = e.getMessage() == null ? "" : e.getMessage();
    // Jackson's wording for a list or mapping used as a key names SnakeYAML event classes; say it plainly.
    if (message.startsWith("Expected a field name")) {
      return new SyntaxError(line, "mapping keys must be plain scalars");
    }
    return new SyntaxError(line, message.lines().findFirst().orElse("unreadable YAML"));
  }
}
