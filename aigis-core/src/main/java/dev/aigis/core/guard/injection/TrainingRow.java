package dev.aigis.core.guard.injection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.guard.classify.JsonLines;
import java.io.IOException;
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
    List<JsonNode> nodes;
    try {
      nodes = JsonLines.read(file, node -> {
        JsonNode label = node.get("label");
        return node.path("text").isTextual() && label != null && (label.asInt(-1) == 0 || label.asInt(-1) == 1)
            ? null : "needs a text and a label 0 or 1";
      });
    } catch (JsonLines.BadLine e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    List<TrainingRow> rows = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      JsonNode node = nodes.get(i);
      rows.add(new TrainingRow(node.path("id").asText("row-" + (i + 1)), node.get("text").asText(),
          node.get("label").asInt(), node.path("source").asText("unknown"), node.path("category").asText("unknown")));
    }
    return rows;
  }
}
