package dev.aigis.core.guard.injection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One labelled row of an injection JSONL file ({@code id, text, label, source, category}). */
record TrainingRow(String id, String text, int label, String source, String category) {

  /**
   * The cross-validation group: the row's {@code source} (upstream repository and file), so a
   * grouped fold never trains and evaluates on the same upstream file.
   */
  String group() {
    return source;
  }

  /** Reads a JSONL file; a bad line fails with its number. */
  static List<TrainingRow> read(Path file) throws IOException {
    List<TrainingRow> rows = new ArrayList<>();
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
          throw new IllegalArgumentException(file.getFileName() + " line " + number + " is not JSON");
        }
        JsonNode label = node.get("label");
        if (!node.path("text").isTextual() || label == null || !(label.asInt(-1) == 0 || label.asInt(-1) == 1)) {
          throw new IllegalArgumentException(file.getFileName() + " line " + number + " needs a text and a label 0 or 1");
        }
        rows.add(new TrainingRow(node.path("id").asText("line-" + number), node.get("text").asText(), label.asInt(),
            node.path("source").asText("unknown"), node.path("category").asText("unknown")));
      }
    }
    return rows;
  }
}
