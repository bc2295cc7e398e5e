package dev.aigis.core.provider.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.usage.OpenAiUsage;
import dev.aigis.core.usage.TokenUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The OpenAI pivot to an OpenAI chat backend ({@code POST {basePath}/v1/chat/completions}). Used
 * when the client speaks another API (the same-format OpenAI pair is proxied without
 * translation). The pivot goes out as it is, with the backend's model and, for streams, the usage
 * chunk requested so usage is always known; the pivot's extensions are adapted
 * ({@link OpenAiReasoningModels#fromPivot}: thinking as reasoning_effort, max_completion_tokens for
 * reasoning models). Created per request; not thread-safe.
 */
public final class OpenAiToOpenAiChatTranslator implements BackendTranslator {

  /** The name errors give the backend schema. */
  public static final String PROVIDER = "OpenAI";

  private final OpenAiChunkStream stream = new OpenAiChunkStream(PROVIDER, chunk -> true);
  private TokenUsage responseUsage;

  public OpenAiToOpenAiChatTranslator() {}

  @Override
  public UpstreamCall chatRequest(ObjectNode openAiRequest, BackendCall call) throws TranslationException {
    if (call.model() == null || call.model().isBlank()) {
      throw new TranslationException(new GatewayError.InvalidRequest("A model is required", "model"));
    }
    ObjectNode body = OpenAiChatWire.requestBody(openAiRequest, call.stream());
    body.put("model", call.model());
    OpenAiReasoningModels.fromPivot(body, call.model());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    return new UpstreamCall("POST", trimSlash(call.basePath()) + "/v1/chat/completions", headers,
        OpenAiChatWire.bytes(body));
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

  /** "" and "/" both mean no prefix; a trailing slash would double the path's first one. */
  public static String trimSlash(String basePath) {
    if (basePath == null) {
      return "";
    }
    return basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
  }
}
