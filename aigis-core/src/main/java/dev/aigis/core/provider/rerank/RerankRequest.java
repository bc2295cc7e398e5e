package dev.aigis.core.provider.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.provider.PivotRequests;
import dev.aigis.core.provider.TranslationException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Cohere-style rerank request ({@code POST /v1/rerank}, {@code /v2/rerank}) as the translators
 * read it: the query, the documents' texts in order, how many results to return and whether to
 * return the documents with them.
 *
 * @param topN results to return, at most the number of documents
 */
public record RerankRequest(String query, List<String> documents, int topN, boolean returnDocuments) {

  public RerankRequest {
    documents = List.copyOf(documents);
  }

  /**
   * Reads and checks a client's request: {@code query} a non-empty string, {@code documents} a
   * non-empty array of strings or of objects with a string {@code text} (what Cohere's v1 API and
   * LiteLLM send), {@code top_n} at least 1. {@code rank_fields} (ranking structured documents by
   * other fields) has no equivalent on the translated backends and is refused; {@code
   * max_chunks_per_doc} and {@code max_tokens_per_doc} are dropped (the backends chunk themselves).
   */
  public static RerankRequest of(ObjectNode request) throws TranslationException {
    JsonNode query = request.get("query");
    if (query == null || !query.isTextual() || query.asText().isBlank()) {
      throw PivotRequests.invalid("'query' must be a non-empty string", "query");
    }
    JsonNode documents = request.get("documents");
    if (documents == null || !documents.isArray() || documents.isEmpty()) {
      throw PivotRequests.invalid("'documents' must be a non-empty array", "documents");
    }
    List<String> texts = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      JsonNode document = documents.get(i);
      JsonNode text = document.isObject() ? document.get("text") : document;
      if (text == null || !text.isTextual()) {
        throw PivotRequests.invalid("'documents[" + i + "]' must be a string or an object with a string 'text'",
            "documents");
      }
      texts.add(text.asText());
    }
    if (request.hasNonNull("rank_fields")) {
      throw PivotRequests.invalid("'rank_fields' is not supported by this backend; send the text to rank", "rank_fields");
    }
    JsonNode topN = request.get("top_n");
    int n = texts.size();
    if (topN != null && !topN.isNull()) {
      if (!topN.canConvertToInt() || !topN.isIntegralNumber() || topN.asInt() < 1) {
        throw PivotRequests.invalid("'top_n' must be an integer of at least 1", "top_n");
      }
      n = Math.min(n, topN.asInt());
    }
    return new RerankRequest(query.asText(), texts, n, request.path("return_documents").asBoolean(false));
  }
}
