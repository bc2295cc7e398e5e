package dev.aigis.core.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.CallsTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.rerank.RerankRequest;
import dev.aigis.core.provider.rerank.RerankResults;
import dev.aigis.core.usage.TokenUsage;
import dev.aigis.model.backend.AwsCredentials;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Cohere-style rerank request to Bedrock's Rerank API ({@code POST {basePath}/rerank} on the
 * {@code bedrock-agent-runtime} endpoint, SigV4-signed for service {@code bedrock}): one text
 * query, the documents as inline text sources, {@code numberOfResults} from {@code top_n}, the
 * reranker named by its model ARN (a bare model id such as {@code cohere.rerank-v3-5:0} or {@code
 * amazon.rerank-v1:0} becomes the region's foundation-model ARN). The answer's {@code
 * relevanceScore}s become Cohere {@code results}. Bedrock reports no token counts for reranking.
 */
public final class BedrockRerankTranslator implements CallsTranslator {

  private final SigV4 signer;
  private final String region;
  private final String authority;
  private RerankRequest request;

  public BedrockRerankTranslator(AwsCredentials credentials, String region, String authority, InstantSource clock) {
    Objects.requireNonNull(credentials, "credentials");
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("Bedrock needs a region, e.g. us-east-1");
    }
    this.signer = new SigV4(credentials, region, clock);
    this.region = region;
    this.authority = Objects.requireNonNull(authority, "authority");
  }

  @Override
  public List<UpstreamCall> request(ObjectNode clientRequest, BackendCall call) throws TranslationException {
    if (call.model() == null || call.model().isBlank()) {
      throw ConverseRequestTranslation.invalid("A model (the Bedrock reranker's model id or ARN) is required", "model");
    }
    request = RerankRequest.of(clientRequest);
    String arn = call.model().startsWith("arn:") ? call.model()
        : "arn:aws:bedrock:" + region + "::foundation-model/" + call.model();
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putArray("queries").addObject().put("type", "TEXT").putObject("textQuery").put("text", request.query());
    ArrayNode sources = body.putArray("sources");
    for (String text : request.documents()) {
      sources.addObject().put("type", "INLINE").putObject("inlineDocumentSource").put("type", "TEXT")
          .putObject("textDocument").put("text", text);
    }
    ObjectNode configuration = body.putObject("rerankingConfiguration").put("type", "BEDROCK_RERANKING_MODEL")
        .putObject("bedrockRerankingConfiguration").put("numberOfResults", request.topN());
    configuration.putObject("modelConfiguration").put("modelArn", arn);
    byte[] bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new TranslationException(new GatewayError.Internal("Cannot serialise the request"));
    }
    String base = call.basePath() == null ? "" : call.basePath().replaceAll("/+$", "");
    String path = base + "/rerank";
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", "application/json");
    return List.of(new UpstreamCall("POST", path, signer.sign("POST", authority, path, headers, bytes), bytes));
  }

  @Override
  public ObjectNode response(List<byte[]> bodies) throws TranslationException {
    ObjectNode answer = BedrockJson.object(bodies.getFirst(), "the answer");
    JsonNode results = answer.get("results");
    if (results == null || !results.isArray()) {
      throw BedrockJson.invalid("the answer has no results");
    }
    List<RerankResults.Scored> scores = new ArrayList<>(results.size());
    for (JsonNode result : results) {
      int index = result.path("index").asInt(-1);
      if (index < 0 || index >= request.documents().size() || !result.path("relevanceScore").isNumber()) {
        throw BedrockJson.invalid("a result has no valid index or relevanceScore");
      }
      scores.add(new RerankResults.Scored(index, result.path("relevanceScore").asDouble()));
    }
    return RerankResults.answer(request, scores);
  }

  @Override
  public GatewayError upstreamError(int status, byte[] body) {
    return OpenAiToBedrockConverseTranslator.errorOf(status, body);
  }

  @Override
  public TokenUsage usage() {
    return null;
  }
}
