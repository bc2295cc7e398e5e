package dev.aigis.app.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.cache.ParaphraseEvaluation;
import dev.aigis.core.guard.classify.JsonLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reads paraphrase pairs: JSON Lines with {@code id}, {@code a}, {@code b}, {@code label} (0/1), optional {@code source}. */
final class PairFile {

  private PairFile() {}

  static List<ParaphraseEvaluation.Pair> read(Path file) throws IOException, JsonLines.BadLine {
    return JsonLines.read(file, PairFile::problem).stream()
        .map(row -> new ParaphraseEvaluation.Pair(row.get("id").asText(), row.get("a").asText(), row.get("b").asText(),
            row.get("label").asInt(), row.path("source").asText("-")))
        .toList();
  }

  private static String problem(JsonNode row) {
    if (!row.isObject()) {
      return "expected a JSON object";
    }
    for (String field : List.of("id", "a", "b")) {
      if (!row.path(field).isTextual()) {
        return "\"" + field + "\" must be a string";
      }
    }
    JsonNode label = row.path("label");
    if (!label.isInt() || (label.asInt() != 0 && label.asInt() != 1)) {
      return "\"label\" must be 0 or 1";
    }
    return null;
  }
}
