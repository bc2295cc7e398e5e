package dev.aigis.core.provider.anthropic.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.AnthropicErrorRenderer;
import dev.aigis.core.api.ErrorRenderer;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.TranslationException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Anthropic Messages clients ({@code POST /v1/messages}) on a non-Anthropic backend, through the
 * OpenAI chat pivot. Anthropic-to-Anthropic traffic bypasses this codec.
 *
 * <h2>Request</h2>
 * <ul>
 *   <li>{@code system} (string or text blocks) becomes the first {@code system} message.
 *   <li>Content that is one text block becomes a plain string; several blocks become content
 *       parts: {@code text}, {@code image} ({@code base64} as a {@code data:} URL, {@code url} as
 *       is) as {@code image_url}, a base64 {@code document} as a {@code file} part, a text
 *       {@code document} as text.
 *   <li>Assistant {@code tool_use} blocks become {@code tool_calls}, arguments being the compact
 *       JSON of {@code input}; tool ids are kept so the client's later {@code tool_result} matches.
 *   <li>User {@code tool_result} blocks become {@code tool} messages placed before the rest of
 *       the turn; their text blocks are joined with newlines, {@code is_error} becomes an
 *       {@code "Error: "} prefix, and images in them move to the user message that follows.
 *   <li>{@code tools} become function tools ({@code input_schema} as {@code parameters});
 *       {@code tool_choice} auto/any/none/tool becomes auto/required/none/a named function;
 *       {@code disable_parallel_tool_use} becomes {@code parallel_tool_calls: false}.
 *   <li>{@code max_tokens}, {@code temperature}, {@code top_p} keep their names;
 *       {@code stop_sequences} becomes {@code stop}; {@code metadata.user_id} becomes {@code user};
 *       {@code stream: true} also sets {@code stream_options.include_usage} so the final
 *       {@code message_delta} can report usage.
 * </ul>
 *
 * <p><b>Carried</b> as the pivot's extensions: {@code thinking} ({@code enabled}/{@code disabled}),
 * {@code thinking}/{@code redacted_thinking} blocks of earlier assistant turns
 * ({@code reasoning_content} and signed {@code thinking_blocks}), {@code output_config.format}
 * (or {@code output_format}) as {@code response_format} json_schema; {@code role: system} messages
 * inside {@code messages} are folded into the system prompt.
 *
 * <p><b>Dropped</b>, having no pivot equivalent: {@code top_k}, other {@code thinking} types,
 * {@code cache_control} anywhere, {@code citations} on documents, {@code service_tier},
 * {@code container}, {@code mcp_servers}, {@code context_management} and any other unknown field.
 * <b>Rejected</b> with 400: missing {@code model}, {@code max_tokens} or {@code messages}
 * (Anthropic's {@code "max_tokens: Field required"} wording), server tools (a {@code tools} entry
 * whose {@code type} is not {@code custom}), URL or file sources for documents, file sources for
 * images, and unknown content block types.
 *
 * <h2>Answer</h2>
 * See {@link PivotToAnthropicMessage} (stop reasons, usage with cached tokens apart) and
 * {@link PivotToAnthropicStream} (event sequence, how interleaved parallel tool calls are kept
 * sequential). Errors render through {@link AnthropicErrorRenderer}.
 *
 * <p>One instance per request; holds the stream's state. Not thread-safe.
 */
public final class AnthropicInboundCodec implements InboundCodec {

  private final PivotToAnthropicStream stream = new PivotToAnthropicStream();

  @Override
  public InboundApi api() {
    return InboundApi.Anthropic;
  }

  @Override
  public ObjectNode toPivot(JsonNode clientRequest) throws TranslationException {
    return AnthropicMessagesToPivot.translate(clientRequest);
  }

  @Override
  public byte[] fromPivot(ObjectNode openAiResponse) {
    try {
      return Json.MAPPER.writeValueAsBytes(PivotToAnthropicMessage.translate(openAiResponse));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void pivotChunk(ObjectNode openAiChunk, Consumer<byte[]> events) {
    stream.chunk(openAiChunk, events);
  }

  @Override
  public void pivotEnd(Consumer<byte[]> events) {
    stream.end(events);
  }

  @Override
  public ErrorRenderer errors() {
    return AnthropicErrorRenderer.INSTANCE;
  }
}
