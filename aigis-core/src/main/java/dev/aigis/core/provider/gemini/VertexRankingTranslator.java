package dev.aigis.core.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.CallsTranslator;
import dev.aigis.core.provider.PivotRequests;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.rerank.RerankRequest;
import dev.aigis.core.provider.rerank.RerankResults;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Cohere-style rerank request to the Vertex AI ranking API (Discovery Engine's {@code
 * rankingConfigs/default_ranking_config:rank}, on {@code discoveryengine.googleapis.com}: the
 * AIBackend's endpoint must name that host) with the project's service-account token. Documents
 * become records whose ids are their indexes; {@code top_n} is {@code topN}; the model (for
 * example {@code semantic-ranker-default@latest}) is sent as named. Records come back with a
 * {@code score} and become Cohere {@code results}. The ranking API reports no token counts.
 */
public final class VertexRankingTranslator implements CallsTranslator {

  private final String project;
  private RerankRequest request;

  public VertexRankingTranslator(String project) {
    this.project = project;
  }

  @Override
  public List<UpstreamCall> request(ObjectNode clientRequest, BackendCall call) throws TranslationException {
    if (call.model() == null || call.model().isBlank()) {
      throw PivotRequests.invalid("A model (a ranking model such as semantic-ranker-default@latest) is required", "model");
    }
    request = RerankRequest.of(clientRequest);
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", call.model()).put("query", request.query())
        .put("topN", request.topN()).put("ignoreRecordDetailsInResponse", true);
    ArrayNode records = body.putArray("records");
    for (int i = 0; i < request.documents().size(); i++) {
      records.addObject().put("id", Integer.toString(i)).put("content", request.documents().get(i));
    }
    String path = call.basePath() + "/v1/projects/" + URLEncoder.encode(project, StandardCharsets.UTF_8)
        + "/locations/global/rankingConfigs/default_ranking_config:rank";
    try {
      return List.of(new UpstreamCall("POST", path, Map.of("content-type", "application/json"),
          Json.MAPPER.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new TranslationException(new GatewayError.Internal("Cannot serialise the request"));
    }
  }

  @Override
  public ObjectNode response(List<byte[]> bodies) throws TranslationException {
    JsonNode answer = GeminiJson.read(bodies.getFirst(), "the answer");
    GatewayError.ProviderError error = GeminiJson.error(answer, 502);
    if (error != null) {
      throw new TranslationException(error);
    }
    JsonNode records = answer.path("records");
    if (!records.isArray()) {
      throw GeminiJson.invalid("the answer has no records");
    }
    List<RerankResults.Scored> scores = new ArrayList<>(records.size());
    for (JsonNode record : records) {
      int index;
      try {
        index = Integer.parseInt(record.path("id").asText(""));
      } catch (NumberFormatException e) {
        index = -1;
      }
      if (index < 0 || index >= request.documents().size() || !record.path("score").isNumber()) {
        throw GeminiJson.invalid("a record has no valid id or score");
      }
      scores.add(new RerankResults.Scored(index, record.path("score").asDouble()));
    }
    return RerankResults.answer(request, scores);
  }

  @Override
  public GatewayError upstreamError(int status, byte[] body) {
    return new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.Vertex(project, "global"))
        .upstreamError(status, body);
  }

  @Override
  public TokenUsage usage() {
    return null;
  }
}
