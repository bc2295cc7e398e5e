package dev.aigis.core.provider.gemini.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ErrorRenderer;
import dev.aigis.core.api.GeminiErrorRenderer;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.routing.QueryParams;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.TranslationException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Gemini API clients ({@code POST /v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent}) on a backend of another schema, through the OpenAI chat pivot.
 * Gemini and Vertex AI backends bypass this codec (native).
 *
 * <h2>Request</h2>
 * <ul>
 *   <li>The model comes from the path, the stream flag from the method ({@code stream: true} with
 *       {@code stream_options.include_usage}, so the last event can report usage).
 *   <li>{@code systemInstruction} text parts become one {@code system} message (parts joined by
 *       newlines).
 *   <li>{@code contents}: {@code user} turns become user messages of text, images
 *       ({@code inlineData} image types as data URLs, other types as {@code file} parts;
 *       {@code fileData} of an image type, or without one, as {@code image_url} with the URI);
 *       {@code functionResponse} parts become {@code tool} messages placed before the rest of the
 *       turn, content the compact JSON of {@code response}, answering the call with the same
 *       {@code id}, else the oldest unanswered call of that name. {@code model} turns become
 *       assistant messages: text parts joined, {@code thought: true} parts as
 *       {@code reasoning_content}, {@code functionCall}s as tool calls with Gemini's {@code id}
 *       or {@code call_<n>}.
 *   <li>{@code tools[].functionDeclarations} become function tools ({@code parametersJsonSchema}
 *       as is, else {@code parameters} converted: see {@link GeminiSchemas});
 *       {@code toolConfig.functionCallingConfig} AUTO, NONE, ANY become auto, none, required, and
 *       ANY with one allowed name that function.
 *   <li>{@code generationConfig}: {@code temperature}, {@code topP}, {@code maxOutputTokens},
 *       {@code stopSequences}, penalties and {@code seed}; {@code responseMimeType:
 *       application/json} becomes {@code response_format} {@code json_object}, or with
 *       {@code responseJsonSchema}/{@code responseSchema} {@code json_schema} named
 *       {@code response}; {@code thinkingConfig} becomes {@code thinking} and
 *       {@code reasoning_effort} (see {@link GeminiToPivot}).
 * </ul>
 *
 * <p><b>Dropped:</b> {@code topK}, {@code safetySettings}, {@code labels},
 * {@code responseLogprobs}/{@code logprobs}, {@code mediaResolution}, {@code speechConfig},
 * {@code includeThoughts}, {@code thoughtSignature}s, thought parts in user turns, an
 * {@code allowedFunctionNames} list of more than one name, any other unknown field.
 * <b>Refused</b> with 400 (Google's error format): {@code cachedContent}, {@code candidateCount}
 * other than 1, response modalities other than TEXT, other response MIME types, tools other than
 * function declarations (Google Search, code execution, URL context...), parts other than text,
 * inlineData, fileData, functionCall and functionResponse, non-image {@code fileData}, a
 * {@code functionResponse} that answers no earlier call.
 *
 * <h2>Answer</h2>
 * See {@link PivotToGemini} and {@link PivotToGeminiStream}: reasoning as {@code thought: true}
 * parts first, text, function calls (with the pivot's call id as {@code id}); finish reasons
 * length MAX_TOKENS, content_filter SAFETY, others STOP; usage as {@code usageMetadata};
 * {@code responseId} and {@code modelVersion} from the pivot's {@code id} and {@code model}.
 *
 * <p>One instance per request; holds the stream's state. Not thread-safe.
 */
public final class GeminiInboundCodec implements InboundCodec {

  private final String model;
  private final boolean stream;
  private final PivotToGeminiStream events = new PivotToGeminiStream();

  /**
   * @param model the model the request's path names (null when only answers are rendered)
   * @param stream whether the method is {@code streamGenerateContent}
   */
  public GeminiInboundCodec(String model, boolean stream) {
    this.model = model;
    this.stream = stream;
  }

  /**
   * Whether a stream request asks for SSE ({@code alt=sse}). Without it Google streams one JSON
   * array; translated streams are SSE only, so that form is refused for them (native backends
   * serve it as sent).
   */
  public static boolean serverSentEvents(String rawQuery) {
    return "sse".equals(QueryParams.parse(rawQuery).first("alt"));
  }

  @Override
  public InboundApi api() {
    return InboundApi.Gemini;
  }

  @Override
  public ObjectNode toPivot(JsonNode clientRequest) throws TranslationException {
    return GeminiToPivot.translate(clientRequest, model, stream);
  }

  @Override
  public byte[] fromPivot(ObjectNode openAiResponse) {
    try {
      return Json.MAPPER.writeValueAsBytes(PivotToGemini.answer(openAiResponse));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void pivotChunk(ObjectNode openAiChunk, Consumer<byte[]> out) {
    events.chunk(openAiChunk, out);
  }

  @Override
  public void pivotEnd(Consumer<byte[]> out) {
    events.end(out);
  }

  @Override
  public ErrorRenderer errors() {
    return GeminiErrorRenderer.INSTANCE;
  }
}
