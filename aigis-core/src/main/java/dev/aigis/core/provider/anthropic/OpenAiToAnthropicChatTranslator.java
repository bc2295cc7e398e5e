package dev.aigis.core.provider.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.anthropic.wire.ContentBlock;
import dev.aigis.core.provider.anthropic.wire.ErrorResponse;
import dev.aigis.core.provider.anthropic.wire.Message;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * OpenAI chat completions to the Anthropic Messages API ({@code POST {basePath}/v1/messages}), or
 * to Claude on Vertex AI, which takes the same body in its own envelope ({@link Host.Vertex}).
 * Created per request; holds the stream's state. Not thread-safe.
 *
 * <h2>Request</h2>
 *
 * Headers {@code anthropic-version} and {@code content-type: application/json} (the key, {@code
 * x-api-key}, is added by {@code BackendAuth}). Body:
 *
 * <ul>
 *   <li>{@code system}/{@code developer} messages, wherever they are, become the top-level
 *       {@code system}, in order: a string when there is one, text blocks otherwise.
 *   <li>{@code user}/{@code assistant} messages become messages of text, {@code image}
 *       ({@code image_url} data URLs as base64 sources, http(s) URLs as url sources) and
 *       {@code tool_use} blocks (arguments parsed; not a JSON object: 400). {@code tool} messages
 *       become {@code tool_result} blocks of a user message. Neighbours of the same role are merged
 *       into one message, so parallel tool results form one user message, in order. Empty
 *       assistant text is left out (Anthropic refuses empty text blocks).
 *   <li>{@code tools} (functions only) become {@code {name, description, input_schema}};
 *       {@code tool_choice} auto/required/none/function becomes auto/any/none/tool;
 *       {@code parallel_tool_calls: false} sets {@code disable_parallel_tool_use}.
 *   <li>{@code max_completion_tokens}, else {@code max_tokens}, becomes {@code max_tokens}, which
 *       Anthropic requires: {@value #DEFAULT_MAX_TOKENS} when the client set neither.
 *   <li>{@code temperature} and {@code top_p} are copied (Anthropic's temperature range is 0 to 1;
 *       values above are refused by Anthropic, whose message is relayed); {@code stop} becomes
 *       {@code stop_sequences}; {@code user} (else {@code safety_identifier}) becomes
 *       {@code metadata.user_id}; {@code stream} follows the call.
 * </ul>
 *
 * <p>{@code response_format} {@code json_schema} becomes Anthropic's structured outputs,
 * {@code output_config.format {type: json_schema, schema}} (the name and {@code strict} are not
 * sent: the schema is always enforced). <b>Approximated:</b> {@code json_object} has no Anthropic
 * switch; an instruction is appended to {@code system}, and the answer is likely but not
 * guaranteed to be JSON.
 *
 * <p><b>Refused (400):</b> {@code n} other than 1, {@code audio} and non-text {@code modalities},
 * the deprecated {@code functions}/{@code function_call}, non-function tools, content parts other
 * than text and image_url in user messages ({@code input_audio}, {@code file}), other message
 * roles.
 *
 * <p><b>Dropped deliberately:</b> {@code logprobs}, {@code top_logprobs}, {@code presence_penalty},
 * {@code frequency_penalty}, {@code seed}, {@code logit_bias}, {@code stream_options} (usage is
 * always reported), {@code store}, {@code metadata}, {@code service_tier},
 * {@code prediction}, {@code web_search_options}, tools' {@code strict},
 * {@code image_url.detail}; any other field Anthropic does not know.
 *
 * <p><b>Thinking:</b> the pivot's {@code thinking} budget, else its {@code reasoning_effort}
 * (minimal/low 1024, medium 2048, high 4096), becomes {@code thinking: {type: enabled,
 * budget_tokens}}; {@code max_tokens} is raised above the budget, and {@code temperature} and a
 * {@code top_p} below 0.95 are not sent (Anthropic refuses them with thinking). Signed
 * {@code thinking_blocks} of assistant turns go back first in their turn.
 *
 * <h2>Answer</h2>
 *
 * Text blocks are concatenated into {@code message.content} (null when there is none);
 * {@code tool_use} blocks become {@code tool_calls} with compact JSON arguments; {@code thinking}
 * blocks become {@code reasoning_content} and, with {@code redacted_thinking}, {@code thinking_blocks}
 * with their signatures; server-tool blocks are dropped. {@code stop_reason} end_turn,
 * stop_sequence and pause_turn become stop, max_tokens length, tool_use tool_calls, refusal
 * content_filter. Prompt tokens are input plus both cache counts, with
 * {@code prompt_tokens_details.cached_tokens} the cache reads and {@code cache_creation_tokens}
 * the writes. {@code created} comes from the
 * injected clock.
 *
 * <p>Streams: {@code message_start} gives a role chunk, text deltas content chunks, each
 * {@code tool_use} block a tool-call chunk (id, name, empty arguments; indexes count tool calls
 * only) and its {@code input_json_delta}s argument chunks (a tool whose input streamed nothing
 * gets {@code "{}"} when its block stops), {@code thinking_delta}s {@code reasoning_content}
 * chunks, {@code signature_delta}s and redacted blocks {@code thinking_blocks} chunks,
 * {@code message_delta} the finish
 * chunk, {@code message_stop} a usage-only chunk ({@code choices: []}), always, for the gateway
 * to drop when the client did not ask. An {@code error} event is thrown as a
 * {@link GatewayError.ProviderError} (overloaded_error as 503, api_error as 502, other types with
 * their usual status); a stream without {@code message_stop} fails as truncated.
 *
 * <p>Errors: an Anthropic error body keeps its status, type and message
 * ({@link GatewayError.ProviderError}); any other body becomes {@link GatewayError.UpstreamStatus}.
 */
public final class OpenAiToAnthropicChatTranslator implements BackendTranslator {

  public static final String DEFAULT_VERSION = "2023-06-01";
  public static final int DEFAULT_MAX_TOKENS = 4096;

  /** Where Claude is served; the answers are the same Messages API answers on each. */
  public sealed interface Host {

    /** Anthropic's API: {@code POST {basePath}/v1/messages} with the {@code anthropic-version} header. */
    record Anthropic(String version) implements Host {
      public Anthropic {
        Objects.requireNonNull(version, "version");
      }
    }

    /**
     * Claude on Vertex AI: {@code POST {basePath}/v1/projects/{project}/locations/{location}/publishers/
     * anthropic/models/{model}:rawPredict} (or {@code :streamRawPredict}), the body without
     * {@code model} and with {@code anthropic_version: vertex-2023-10-16}; the bearer token is
     * added by {@code BackendAuth}.
     */
    record Vertex(String project, String location) implements Host {}
  }

  private final Host host;
  private final InstantSource clock;
  private ChatStreamTranslation stream;
  private TokenUsage usage;

  public OpenAiToAnthropicChatTranslator() {
    this(DEFAULT_VERSION, InstantSource.system());
  }

  /** @param anthropicVersion the {@code anthropic-version} header, e.g. {@value #DEFAULT_VERSION} */
  public OpenAiToAnthropicChatTranslator(String anthropicVersion) {
    this(anthropicVersion, InstantSource.system());
  }

  /** @param clock gives {@code created}; fixed in tests */
  public OpenAiToAnthropicChatTranslator(String anthropicVersion, InstantSource clock) {
    this(new Host.Anthropic(Objects.requireNonNull(anthropicVersion, "anthropicVersion")), clock);
  }

  /** @param clock gives {@code created}; fixed in tests */
  public OpenAiToAnthropicChatTranslator(Host host, InstantSource clock) {
    this.host = Objects.requireNonNull(host, "host");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public UpstreamCall chatRequest(ObjectNode openAiRequest, BackendCall call)
      throws TranslationException {
    ObjectNode body = ChatRequestTranslation.translate(
        openAiRequest, call.model(), call.stream(), DEFAULT_MAX_TOKENS);
    Map<String, String> headers = new LinkedHashMap<>();
    String path = switch (host) {
      case Host.Anthropic a -> {
        headers.put("anthropic-version", a.version());
        yield call.basePath() + "/v1/messages";
      }
      case Host.Vertex v -> {
        if (call.model() == null || call.model().isBlank()) {
          throw new TranslationException(new GatewayError.InvalidRequest("A model is required", "model"));
        }
        body = ClaudeBodies.forCloud(body, ClaudeBodies.VERTEX_VERSION);
        yield ClaudeBodies.vertexPath(call.basePath(), v.project(), v.location(), call.model(), call.stream());
      }
    };
    headers.put("content-type", "application/json");
    try {
      return new UpstreamCall("POST", path, headers, Json.MAPPER.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new TranslationException(new GatewayError.Internal("Cannot serialise the request"));
    }
  }

  @Override
  public ObjectNode chatResponse(byte[] body) throws TranslationException {
    Message message = AnthropicJson.read(body, Message.class, "the answer");
    if (message == null || message.content() == null) {
      throw AnthropicJson.invalid("the answer is not a Messages API message");
    }
    StringBuilder text = null;
    StringBuilder reasoning = null;
    ArrayNode toolCalls = Json.MAPPER.createArrayNode();
    ArrayNode thinkingBlocks = Json.MAPPER.createArrayNode();
    for (ContentBlock block : message.content()) {
      switch (String.valueOf(block.type())) {
        case "text" -> text = (text == null ? new StringBuilder() : text)
            .append(block.text() == null ? "" : block.text());
        case "thinking" -> {
          reasoning = (reasoning == null ? new StringBuilder() : reasoning)
              .append(block.thinking() == null ? "" : block.thinking());
          thinkingBlocks.addObject().put("type", "thinking").put("thinking", block.thinking())
              .put("signature", block.signature());
        }
        case "redacted_thinking" -> thinkingBlocks.addObject().put("type", "redacted_thinking")
            .put("data", block.data());
        case "tool_use" -> {
          ObjectNode call = toolCalls.addObject().put("id", block.id()).put("type", "function");
          call.putObject("function").put("name", block.name()).put("arguments",
              block.input() == null ? "{}" : block.input().toString());
        }
        default -> { } // server-tool blocks: no OpenAI counterpart
      }
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", message.id()).put("object", "chat.completion")
        .put("created", clock.instant().getEpochSecond()).put("model", message.model());
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode msg = choice.putObject("message").put("role", "assistant");
    msg.put("content", text == null ? null : text.toString());
    if (reasoning != null) {
      msg.put("reasoning_content", reasoning.toString());
    }
    if (!thinkingBlocks.isEmpty()) {
      msg.set("thinking_blocks", thinkingBlocks);
    }
    if (!toolCalls.isEmpty()) {
      msg.set("tool_calls", toolCalls);
    }
    choice.put("finish_reason", AnthropicJson.finishReason(message.stopReason()));
    usage = AnthropicJson.tokenUsage(message.usage());
    if (usage != null) {
      out.set("usage", AnthropicJson.usageNode(usage));
    }
    return out;
  }

  @Override
  public void streamBytes(byte[] bytes, Consumer<ObjectNode> chunks) throws TranslationException {
    stream().bytes(bytes, chunks);
  }

  @Override
  public void streamEnd(Consumer<ObjectNode> chunks) throws TranslationException {
    stream().end();
  }

  @Override
  public GatewayError upstreamError(int status, byte[] body) {
    try {
      ErrorResponse error = AnthropicJson.READER.readValue(body, ErrorResponse.class);
      if (error != null && error.error() != null && error.error().message() != null) {
        String type = error.error().type() == null ? "api_error" : error.error().type();
        return new GatewayError.ProviderError(
            status, type, error.error().message(), AnthropicJson.PROVIDER);
      }
    } catch (IOException | RuntimeException e) {
      // not Anthropic's error shape (a proxy's HTML page, an empty body): fall through
    }
    return new GatewayError.UpstreamStatus(AnthropicJson.PROVIDER, status);
  }

  @Override
  public TokenUsage usage() {
    return stream != null ? stream.usage() : usage;
  }

  private ChatStreamTranslation stream() {
    if (stream == null) {
      stream = new ChatStreamTranslation(clock);
    }
    return stream;
  }
}
