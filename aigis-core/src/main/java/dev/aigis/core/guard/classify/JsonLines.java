package dev.aigis.core.guard.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the guardrail data files (JSON Lines, one object per line, blank lines skipped) for the
 * evaluation and training commands; a line that is not JSON, or that {@code check} refuses, is
 * reported with its number.
 */
public final class JsonLines {

  /** Refuses a row: returns the reason, or null when the row is good. */
  @FunctionalInterface
  public interface Check {
    String problem(JsonNode row);
  }

  /** A line that cannot be used; the message names the file and the line. */
  public static final class BadLine extends Exception {
    BadLine(String message) {
      super(message, null, false, false);
    }
  }

  private JsonLines() {}

  public static List<JsonNode> read(Path file, Check check) throws IOException, BadLine {
    List<JsonNode> rows = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = Json.MAPPER.readTree(line);
        } catch (IOException e) {
          throw new BadLine(file + " line " + number + ": not valid JSON");
        }
        String problem = check.problem(node);
        if (problem != null) {
          throw new BadLine(file + " line " + number + ": " + problem);
        }
        rows.add(node);
      }
    }
    return rows;
  }
}
