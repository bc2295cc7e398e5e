package dev.aigis.core.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.EmbeddingsTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.openai.OpenAiEmbeddings;
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
 * OpenAI embeddings to Amazon Titan text embeddings on Bedrock: {@code POST
 * {basePath}/model/{modelId}/invoke} with {@code {"inputText": ...}} (plus {@code dimensions} when
 * the client gave it, which Titan v2 accepts), SigV4-signed like Converse. Titan embeds one text
 * per call, so an input array becomes one call per text, sent one after the other (not in
 * parallel, to stay inside the account's request rate); the first failure ends the exchange. Each
 * answer's {@code embedding} is one vector, its {@code inputTextTokenCount} summed into usage.
 * Errors as for Converse.
 */
public final class BedrockTitanEmbeddingsTranslator implements EmbeddingsTranslator {

  private final SigV4 signer;
  private final String authority;
  private String model;
  private boolean base64;
  private TokenUsage usage;

  public BedrockTitanEmbeddingsTranslator(
      AwsCredentials credentials, String region, String authority, InstantSource clock) {
    Objects.requireNonNull(credentials, "credentials");
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("Bedrock needs a region, e.g. us-east-1");
    }
    this.signer = new SigV4(credentials, region, clock);
    this.authority = Objects.requireNonNull(authority, "authority");
  }

  @Override
  public List<UpstreamCall> request(ObjectNode openAiRequest, BackendCall call) throws TranslationException {
    if (call.model() == null || call.model().isBlank()) {
      throw ConverseRequestTranslation.invalid("A model (the Bedrock model id or ARN) is required", "model");
    }
    model = call.model();
    List<String> inputs = OpenAiEmbeddings.inputs(openAiRequest);
    Integer dimensions = OpenAiEmbeddings.dimensions(openAiRequest);
    base64 = OpenAiEmbeddings.base64(openAiRequest);
    String base = call.basePath() == null ? "" : call.basePath().replaceAll("/+$", "");
    String path = base + "/model/" + OpenAiToBedrockConverseTranslator.encode(model) + "/invoke";
    List<UpstreamCall> calls = new ArrayList<>();
    for (String text : inputs) {
      ObjectNode body = Json.MAPPER.createObjectNode().put("inputText", text);
      if (dimensions != null) {
        body.put("dimensions", dimensions);
      }
      byte[] bytes;
      try {
        bytes = Json.MAPPER.writeValueAsBytes(body);
      } catch (IOException e) {
        throw new TranslationException(new GatewayError.Internal("Cannot serialise the request"));
      }
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("content-type", "application/json");
      headers.put("accept", "application/json");
      calls.add(new UpstreamCall("POST", path, signer.sign("POST", authority, path, headers, bytes), bytes));
    }
    return calls;
  }

  @Override
  public ObjectNode response(List<byte[]> bodies) throws TranslationException {
    List<JsonNode> vectors = new ArrayList<>();
    long tokens = 0;
    for (byte[] body : bodies) {
      ObjectNode answer = BedrockJson.object(body, "the answer");
      JsonNode embedding = answer.get("embedding");
      if (embedding == null || !embedding.isArray()) {
        throw BedrockJson.invalid("the answer has no embedding");
      }
      vectors.add(embedding);
      tokens += answer.path("inputTextTokenCount").asLong(0);
    }
    usage = TokenUsage.of(tokens, 0);
    return OpenAiEmbeddings.list(vectors, model, tokens, base64);
  }

  @Override
  public GatewayError upstreamError(int status, byte[] body) {
    return OpenAiToBedrockConverseTranslator.errorOf(status, body);
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }
}
