package dev.aigis.core.provider.openai.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ErrorRenderer;
import dev.aigis.core.api.ResponsesErrorRenderer;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.TranslationException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * OpenAI Responses API clients ({@code POST /v1/responses}: Codex CLI, the Agents SDK) on a
 * backend that does not speak Responses, through the OpenAI chat pivot. A backend that speaks
 * Responses gets the request untouched instead ({@code BackendAdapters}).
 *
 * <h2>Request</h2>
 * <ul>
 *   <li>{@code instructions} becomes the first {@code system} message; {@code input} as a string
 *       is one user message; as items: messages ({@code input_text}/{@code output_text} as text,
 *       {@code input_image} with an {@code image_url} as an {@code image_url} part; the
 *       {@code developer} role as {@code system}), {@code function_call} items as the assistant
 *       turn's {@code tool_calls} ({@code call_id} as the id), {@code function_call_output} as
 *       {@code tool} messages, {@code reasoning} items as the next assistant turn's
 *       {@code reasoning_content} (their text, else their summaries).
 *   <li>Function tools (flat {@code {type, name, description, parameters, strict}}) become chat
 *       function tools; {@code tool_choice} {@code auto}/{@code none}/{@code required} or a named
 *       function carries over.
 *   <li>{@code text.format} {@code json_schema}/{@code json_object} becomes
 *       {@code response_format}; {@code reasoning.effort} becomes {@code reasoning_effort};
 *       {@code max_output_tokens} becomes {@code max_completion_tokens}; {@code temperature},
 *       {@code top_p}, {@code parallel_tool_calls}, {@code metadata}, {@code user} keep their
 *       names (each backend's translator then keeps or drops them by its own rules).
 * </ul>
 *
 * <p><b>Refused</b> with 400 naming the field: {@code store: true}, {@code previous_response_id},
 * {@code conversation}, {@code prompt} and {@code background: true} (no state is kept); built-in
 * tools ({@code web_search}, {@code file_search}, {@code computer_use_preview},
 * {@code code_interpreter}, {@code image_generation}, {@code mcp}, {@code local_shell},
 * {@code custom}...) as {@code tools[i].type}; other tool choices; input items other than those
 * above ({@code item_reference}, built-in tool calls); file inputs and {@code file_id} images.
 * <b>Dropped</b>: reasoning items' {@code encrypted_content} (sealed for the provider that wrote
 * it), {@code reasoning.summary}, {@code include}, {@code text.verbosity}, {@code truncation},
 * {@code service_tier}, {@code prompt_cache_key}, {@code safety_identifier}, {@code top_logprobs},
 * {@code max_tool_calls} and unknown fields.
 *
 * <h2>Answer</h2>
 * See {@link PivotToResponse} and {@link PivotToResponsesStream}. Errors render in OpenAI's
 * {@code {"error":{...}}} shape, like every OpenAI endpoint's; after a stream began, as a
 * {@code response.failed} event ({@link ResponsesErrorRenderer}).
 *
 * <p>One instance per request: it keeps the client's request to echo its fields in the answer,
 * and the stream's state. Not thread-safe.
 */
public final class ResponsesInboundCodec implements InboundCodec {

  private ObjectNode request;
  private PivotToResponsesStream stream;

  @Override
  public InboundApi api() {
    return InboundApi.OpenAI;
  }

  @Override
  public ObjectNode toPivot(JsonNode clientRequest) throws TranslationException {
    ObjectNode pivot = ResponsesToPivot.translate(clientRequest);
    request = (ObjectNode) clientRequest;
    return pivot;
  }

  @Override
  public byte[] fromPivot(ObjectNode openAiResponse) {
    try {
      return Json.MAPPER.writeValueAsBytes(PivotToResponse.translate(openAiResponse, request));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void pivotChunk(ObjectNode openAiChunk, Consumer<byte[]> events) {
    stream().chunk(openAiChunk, events);
  }

  @Override
  public void pivotEnd(Consumer<byte[]> events) {
    stream().end(events);
  }

  private PivotToResponsesStream stream() {
    if (stream == null) {
      stream = new PivotToResponsesStream(request);
    }
    return stream;
  }

  @Override
  public ErrorRenderer errors() {
    return ResponsesErrorRenderer.INSTANCE;
  }
}
