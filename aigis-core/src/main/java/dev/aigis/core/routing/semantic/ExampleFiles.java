package dev.aigis.core.routing.semantic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads example files: one example per line, either plain text or a JSON object with {@code text}
 * and optionally {@code route} (the JSON Lines shape of labelled intent data). Blank lines are
 * skipped. A bad line is reported with the file and its number.
 */
public final class ExampleFiles {

  /** One example; {@code route} is null when the line names none. */
  public record Row(String text, String route, int line) {}

  /** A file that cannot be read, or a line that cannot be used; the message names file and line. */
  public static final class BadExamples extends Exception {
    public BadExamples(String message) {
      super(message, null, false, false);
    }
  }

  private ExampleFiles() {}

  public static List<Row> read(Path file) throws BadExamples {
    List<Row> rows = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        if (!trimmed.startsWith("{")) {
          rows.add(new Row(trimmed, null, number));
          continue;
        }
        JsonNode node;
        try {
          node = Json.MAPPER.readTree(trimmed);
        } catch (IOException e) {
          throw new BadExamples(file + " line " + number + ": not valid JSON");
        }
        JsonNode text = node.get("text");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
          throw new BadExamples(file + " line " + number + ": \"text\" must be a non-empty string");
        }
        JsonNode route = node.get("route");
        if (route != null && !route.isNull() && !route.isTextual()) {
          throw new BadExamples(file + " line " + number + ": \"route\" must be a string");
        }
        rows.add(new Row(text.asText(), route == null || route.isNull() ? null : route.asText(), number));
      }
    } catch (NoSuchFileException e) {
      throw new BadExamples(file + ": no such file");
    } catch (IOException e) {
      throw new BadExamples(file + ": cannot be read (" + e.getMessage() + ")");
    }
    return rows;
  }
}
