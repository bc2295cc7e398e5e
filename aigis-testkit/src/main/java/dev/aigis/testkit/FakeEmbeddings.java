package dev.aigis.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/**
 * The vectors and token counts every fake embeddings endpoint answers with, so tests can predict
 * them: {@code [length of the text, 0.5, -0.25]} and one token per whitespace-separated word.
 */
public final class FakeEmbeddings {

  private FakeEmbeddings() {}

  public static List<Float> vector(String text) {
    return List.of((float) text.length(), 0.5f, -0.25f);
  }

  public static int tokens(String text) {
    return text.isBlank() ? 0 : text.trim().split("\\s+").length;
  }

  static ArrayNode values(String text) {
    ArrayNode values = JsonNodeFactory.instance.arrayNode();
    vector(text).forEach(values::add);
    return values;
  }
}
