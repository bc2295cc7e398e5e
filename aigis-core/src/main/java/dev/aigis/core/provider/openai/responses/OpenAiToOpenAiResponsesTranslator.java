package dev.aigis.core.provider.openai.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.openai.OpenAiChatWire;
import dev.aigis.core.provider.openai.OpenAiToOpenAiChatTranslator;
import dev.aigis.core.usage.OpenAiUsage;
import dev.aigis.core.usage.TokenUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The OpenAI chat pivot to an OpenAI-schema server that speaks only the Responses API
 * ({@code spec.openai.api: Responses}): {@code POST {basePath}/v1/responses}, so chat,
 * completions and Anthropic clients reach it.
 *
 * <h2>Request</h2>
 * Messages become input items ({@code system}/{@code developer}/{@code user} messages with
 * {@code input_text}/{@code input_image} parts, assistant text as {@code output_text}, tool calls
 * as {@code function_call} items, tool messages as {@code function_call_output}); function tools
 * flatten to {@code {type, name, description, parameters, strict}}; a named {@code tool_choice}
 * likewise; {@code response_format} becomes {@code text.format}; {@code reasoning_effort} (else a
 * {@code thinking} budget, by the pivot's thresholds) becomes {@code reasoning.effort};
 * {@code max_completion_tokens} (else {@code max_tokens}) becomes {@code max_output_tokens};
 * {@code temperature}, {@code top_p}, {@code parallel_tool_calls}, {@code metadata}, {@code user},
 * {@code service_tier} carry over; {@code store} is always false. <b>Refused</b> with 400:
 * {@code stop} (Responses has no stop sequences), {@code n} other than 1, audio, non-text
 * modalities, {@code functions}, non-function tools, content parts other than text and
 * {@code image_url}. <b>Dropped</b>: earlier turns' {@code reasoning_content} and
 * {@code thinking_blocks} (a Responses server takes back only reasoning items it issued),
 * penalties, {@code seed}, {@code logit_bias}, {@code logprobs}, {@code stream_options} (usage
 * is always in {@code response.completed}).
 *
 * <h2>Answer</h2>
 * See {@link ResponseToPivot} and {@link ResponsesStreamToPivot}. Created per request; not
 * thread-safe.
 */
public final class OpenAiToOpenAiResponsesTranslator implements BackendTranslator {

  private final ResponsesStreamToPivot stream = new ResponsesStreamToPivot();
  private TokenUsage responseUsage;

  @Override
  public UpstreamCall chatRequest(ObjectNode openAiRequest, BackendCall call) throws TranslationException {
    if (call.model() == null || call.model().isBlank()) {
      throw new TranslationException(new GatewayError.InvalidRequest("A model is required", "model"));
    }
    ObjectNode body = PivotToResponsesRequest.translate(openAiRequest, call.model(), call.stream());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    return new UpstreamCall("POST", OpenAiToOpenAiChatTranslator.trimSlash(call.basePath()) + "/v1/responses", headers,
        OpenAiChatWire.bytes(body));
  }

  @Override
  public ObjectNode chatResponse(byte[] body) throws TranslationException {
    ObjectNode completion = ResponseToPivot.completion(body);
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
    return OpenAiChatWire.error(status, body, ResponseToPivot.PROVIDER);
  }

  @Override
  public TokenUsage usage() {
    return responseUsage != null ? responseUsage : stream.usage();
  }
}
