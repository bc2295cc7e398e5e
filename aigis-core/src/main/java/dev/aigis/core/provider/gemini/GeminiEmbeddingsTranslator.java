package dev.aigis.core.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.EmbeddingsTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.openai.OpenAiEmbeddings;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * OpenAI embeddings to Google's embedding models, in one call for all inputs.
 *
 * <p>Credentials are {@code BackendAuth}'s: {@code x-goog-api-key} on Google AI, a bearer token on
 * Vertex AI.
 *
 * <p>Google AI: {@code POST {basePath}/v1beta/models/{model}:batchEmbedContents} with
 * {@code {"requests":[{"model":"models/{model}","content":{"parts":
 * [{"text":...}]}}]}}; the answer's {@code embeddings[].values} are the vectors. Google AI reports
 * no token counts: usage is 0.
 *
 * <p>Vertex AI: {@code POST {basePath}/v1/projects/{project}/locations/{location}/publishers/
 * google/models/{model}:predict} with {@code {"instances":
 * [{"content":...}]}}; the vectors are {@code predictions[].embeddings.values}, the prompt tokens
 * the sum of {@code embeddings.statistics.token_count} when present.
 *
 * <p>{@code dimensions} becomes {@code outputDimensionality}; {@code user} is dropped. Google's
 * own options come as extra fields of the OpenAI request (an SDK's {@code extra_body} puts them at
 * the top level): {@code task_type} (e.g. {@code RETRIEVAL_DOCUMENT}, {@code RETRIEVAL_QUERY}:
 * document and query vectors differ) and {@code title} go with every input, as {@code taskType}/
 * {@code title} on Google AI and {@code task_type}/{@code title} on Vertex AI; {@code auto_truncate}
 * (boolean) becomes Vertex AI's {@code parameters.autoTruncate} and is dropped on Google AI, which
 * has no such switch. Errors as for chat.
 */
public final class GeminiEmbeddingsTranslator implements EmbeddingsTranslator {

  private final OpenAiToGeminiChatTranslator.Target target;
  private String model;
  private boolean base64;
  private TokenUsage usage;

  public GeminiEmbeddingsTranslator(OpenAiToGeminiChatTranslator.Target target) {
    this.target = Objects.requireNonNull(target, "target");
  }

  @Override
  public List<UpstreamCall> request(ObjectNode openAiRequest, BackendCall call) throws TranslationException {
    if (call.model() == null || call.model().isBlank()) {
      throw new TranslationException(new GatewayError.InvalidRequest("'model' is required", "model"));
    }
    List<String> inputs = OpenAiEmbeddings.inputs(openAiRequest);
    Integer dimensions = OpenAiEmbeddings.dimensions(openAiRequest);
    String taskType = text(openAiRequest, "task_type");
    String title = text(openAiRequest, "title");
    JsonNode autoTruncate = openAiRequest.get("auto_truncate");
    if (autoTruncate != null && !autoTruncate.isNull() && !autoTruncate.isBoolean()) {
      throw invalid("'auto_truncate' must be a boolean", "auto_truncate");
    }
    base64 = OpenAiEmbeddings.base64(openAiRequest);
    model = call.model().startsWith("models/") ? call.model().substring("models/".length()) : call.model();
    Map<String, String> headers = new LinkedHashMap<>();
    ObjectNode body = Json.MAPPER.createObjectNode();
    String path = switch (target) {
      case OpenAiToGeminiChatTranslator.Target.GoogleAi g -> {
        ArrayNode requests = body.putArray("requests");
        for (String text : inputs) {
          ObjectNode one = requests.addObject().put("model", "models/" + model);
          one.putObject("content").putArray("parts").addObject().put("text", text);
          if (taskType != null) {
            one.put("taskType", taskType);
          }
          if (title != null) {
            one.put("title", title);
          }
          if (dimensions != null) {
            one.put("outputDimensionality", dimensions);
          }
        }
        yield call.basePath() + "/v1beta/models/" + encode(model) + ":batchEmbedContents";
      }
      case OpenAiToGeminiChatTranslator.Target.Vertex v -> {
        ArrayNode instances = body.putArray("instances");
        for (String text : inputs) {
          ObjectNode instance = instances.addObject().put("content", text);
          if (taskType != null) {
            instance.put("task_type", taskType);
          }
          if (title != null) {
            instance.put("title", title);
          }
        }
        if (dimensions != null) {
          body.putObject("parameters").put("outputDimensionality", dimensions);
        }
        if (autoTruncate != null && !autoTruncate.isNull()) {
          body.with("parameters").put("autoTruncate", autoTruncate.asBoolean());
        }
        yield call.basePath() + "/v1/projects/" + encode(v.project()) + "/locations/" + encode(v.location())
            + "/publishers/google/models/" + encode(model) + ":predict";
      }
    };
    headers.put("content-type", "application/json");
    try {
      return List.of(new UpstreamCall("POST", path, headers, Json.MAPPER.writeValueAsBytes(body)));
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
    List<JsonNode> vectors = new ArrayList<>();
    long tokens = 0;
    boolean vertex = target instanceof OpenAiToGeminiChatTranslator.Target.Vertex;
    JsonNode items = vertex ? answer.path("predictions") : answer.path("embeddings");
    if (!items.isArray() || items.isEmpty()) {
      throw GeminiJson.invalid("the answer has no " + (vertex ? "predictions" : "embeddings"));
    }
    for (JsonNode item : items) {
      JsonNode embedding = vertex ? item.path("embeddings") : item;
      JsonNode values = embedding.path("values");
      if (!values.isArray()) {
        throw GeminiJson.invalid("an embedding has no values");
      }
      vectors.add(values);
      JsonNode count = embedding.path("statistics").path("token_count");
      tokens += count.isNumber() ? count.asLong() : item.path("statistics").path("token_count").asLong(0);
    }
    usage = TokenUsage.of(tokens, 0);
    return OpenAiEmbeddings.list(vectors, model, tokens, base64);
  }

  @Override
  public GatewayError upstreamError(int status, byte[] body) {
    return new OpenAiToGeminiChatTranslator(target).upstreamError(status, body);
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  /** An optional string field of the request; anything but a string or null is a 400 naming it. */
  private static String text(ObjectNode request, String field) throws TranslationException {
    JsonNode value = request.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw invalid("'" + field + "' must be a non-empty string", field);
    }
    return value.asText();
  }

  private static TranslationException invalid(String message, String param) {
    return dev.aigis.core.provider.PivotRequests.invalid(message, param);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
