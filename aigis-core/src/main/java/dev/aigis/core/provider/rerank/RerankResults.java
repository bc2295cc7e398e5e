package dev.aigis.core.provider.rerank;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** The Cohere-style rerank answer every translated backend's scores become. */
public final class RerankResults {

  /** One document's score. */
  public record Scored(int index, double score) {}

  private RerankResults() {}

  /**
   * {@code {"id", "results": [{"index", "relevance_score", "document": {"text"}}]}}: the best
   * {@code request.topN()} documents, highest score first (ties in document order), with the text
   * when the client asked for it.
   */
  public static ObjectNode answer(RerankRequest request, List<Scored> scores) {
    ObjectNode answer = Json.MAPPER.createObjectNode().put("id", UUID.randomUUID().toString());
    ArrayNode results = answer.putArray("results");
    scores.stream()
        .sorted(Comparator.comparingDouble(Scored::score).reversed().thenComparingInt(Scored::index))
        .limit(request.topN())
        .forEach(scored -> {
          ObjectNode result = results.addObject().put("index", scored.index()).put("relevance_score", scored.score());
          if (request.returnDocuments()) {
            result.putObject("document").put("text", request.documents().get(scored.index()));
          }
        });
    return answer;
  }
}
