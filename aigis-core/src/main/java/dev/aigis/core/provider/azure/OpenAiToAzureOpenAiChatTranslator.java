package dev.aigis.core.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.openai.OpenAiChatWire;
import dev.aigis.core.provider.openai.OpenAiChunkStream;
import dev.aigis.core.provider.openai.OpenAiReasoningModels;
import dev.aigis.core.provider.openai.OpenAiToOpenAiChatTranslator;
import dev.aigis.core.usage.OpenAiUsage;
import dev.aigis.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The OpenAI pivot to Azure OpenAI: {@code POST
 * {basePath}/openai/deployments/{deployment}/chat/completions?api-version={apiVersion}} (the key
 * goes in {@code api-key}, by {@code BackendAuth}). The deployment (the call's model) chooses the model, so the body carries
 * none; the pivot's extensions are adapted as for OpenAI ({@link OpenAiReasoningModels#fromPivot}).
 * Answers are OpenAI's plus content-filter annotations, which pass through, as does the
 * {@code content_filter} finish reason; the stream's leading chunk that holds only {@code
 * prompt_filter_results} (empty {@code choices}, no usage) is dropped, since consumers take a chunk
 * with empty choices for the usage chunk. Errors ({@code {"error":{"code","message"}}}) keep their
 * status, code and message. Created per request; not thread-safe.
 */
public final class OpenAiToAzureOpenAiChatTranslator implements BackendTranslator {

  public static final String PROVIDER = "AzureOpenAI";

  private final String apiVersion;
  private final OpenAiChunkStream stream =
      new OpenAiChunkStream(PROVIDER, chunk -> !isPromptFilterOnly(chunk));
  private TokenUsage responseUsage;

  /** @param apiVersion the {@code api-version} query value, e.g. {@code 2024-10-21} */
  public OpenAiToAzureOpenAiChatTranslator(String apiVersion) {
    if (apiVersion == null || apiVersion.isBlank()) {
      throw new IllegalArgumentException("Azure OpenAI needs an apiVersion, e.g. 2024-10-21");
    }
    this.apiVersion = apiVersion;
  }

  @Override
  public UpstreamCall chatRequest(ObjectNode openAiRequest, BackendCall call) throws TranslationException {
    if (call.model() == null || call.model().isBlank()) {
      throw new TranslationException(
          new GatewayError.InvalidRequest("A model (the Azure deployment) is required", "model"));
    }
    ObjectNode body = OpenAiChatWire.requestBody(openAiRequest, call.stream());
    // The deployment's name need not say which model it serves: the requested name is asked too.
    OpenAiReasoningModels.fromPivot(body, call.model(), openAiRequest.path("model").asText(null));
    body.remove("model");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    String path = OpenAiToOpenAiChatTranslator.trimSlash(call.basePath())
        + "/openai/deployments/" + encode(call.model())
        + "/chat/completions?api-version=" + encode(apiVersion);
    return new UpstreamCall("POST", path, headers, OpenAiChatWire.bytes(body));
  }

  @Override
  public ObjectNode chatResponse(byte[] body) throws TranslationException {
    ObjectNode completion = OpenAiChatWire.completion(body, PROVIDER);
    responseUsage = OpenAiUsage.from(completion.get("usage"));
    return completion;
  }

  @Override
  public void streamBytes(byte[] bytes, Consumer<ObjectNode> chunks) throws TranslationException {
    stream.feed(bytes, chunks);
  }

  @Override
  public void streamEnd(Consumer<ObjectNode> chunks) throws TranslationException {
    stream.end();
  }

  @Override
  public GatewayError upstreamError(int status, byte[] body) {
    return OpenAiChatWire.error(status, body, PROVIDER);
  }

  @Override
  public TokenUsage usage() {
    return responseUsage != null ? responseUsage : stream.usage();
  }

  /** Azure's first stream chunk: {@code "choices":[]}, {@code prompt_filter_results}, no usage. */
  static boolean isPromptFilterOnly(ObjectNode chunk) {
    JsonNode choices = chunk.get("choices");
    return choices != null && choices.isEmpty()
        && chunk.has("prompt_filter_results")
        && !chunk.path("usage").isObject();
  }

  /** RFC 3986 percent-encoding of everything but unreserved characters (not form encoding: no '+'). */
  static String encode(String value) {
    var out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
