package dev.aigis.core.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import java.io.IOException;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.EmbeddingsTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.openai.OpenAiChatWire;
import dev.aigis.core.provider.openai.OpenAiToOpenAiChatTranslator;
import dev.aigis.core.usage.OpenAiUsage;
import dev.aigis.core.usage.TokenUsage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI embeddings to Azure OpenAI: {@code POST {basePath}/openai/deployments/{deployment}/
 * embeddings?api-version={apiVersion}} (the key goes in {@code api-key}, by {@code BackendAuth}), the body the client's
 * minus {@code model} (the deployment chooses it). Azure answers in OpenAI's shape (base64 too),
 * so the answer passes unchanged. Errors as for chat.
 */
public final class AzureOpenAiEmbeddingsTranslator implements EmbeddingsTranslator {

  private final String apiVersion;
  private TokenUsage usage;

  public AzureOpenAiEmbeddingsTranslator(String apiVersion) {
    if (apiVersion == null || apiVersion.isBlank()) {
      throw new IllegalArgumentException("Azure OpenAI needs an apiVersion, e.g. 2024-10-21");
    }
    this.apiVersion = apiVersion;
  }

  @Override
  public List<UpstreamCall> request(ObjectNode openAiRequest, BackendCall call) throws TranslationException {
    if (call.model() == null || call.model().isBlank()) {
      throw new TranslationException(
          new GatewayError.InvalidRequest("A model (the Azure deployment) is required", "model"));
    }
    ObjectNode body = openAiRequest.deepCopy();
    body.remove("model");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    String path = OpenAiToOpenAiChatTranslator.trimSlash(call.basePath())
        + "/openai/deployments/" + OpenAiToAzureOpenAiChatTranslator.encode(call.model())
        + "/embeddings?api-version=" + OpenAiToAzureOpenAiChatTranslator.encode(apiVersion);
    return List.of(new UpstreamCall("POST", path, headers, OpenAiChatWire.bytes(body)));
  }

  @Override
  public ObjectNode response(List<byte[]> bodies) throws TranslationException {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(bodies.getFirst());
    } catch (IOException e) {
      tree = null;
    }
    if (!(tree instanceof ObjectNode answer) || !answer.path("data").isArray()) {
      throw OpenAiChatWire.invalid(OpenAiToAzureOpenAiChatTranslator.PROVIDER, "the answer has no data array");
    }
    usage = OpenAiUsage.from(answer.get("usage"));
    return answer;
  }

  @Override
  public GatewayError upstreamError(int status, byte[] body) {
    return OpenAiChatWire.error(status, body, OpenAiToAzureOpenAiChatTranslator.PROVIDER);
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }
}
