package dev.aigis.core.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.usage.TokenUsage;
import dev.aigis.model.backend.AwsCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * OpenAI chat completions to the AWS Bedrock Converse API: {@code POST
 * {basePath}/model/{modelId}/converse}, or {@code /converse-stream} for streams, the model id
 * percent-encoded, every request signed with SigV4 ({@link SigV4}). Created per request with the
 * backend's credentials; holds the stream's state. Not thread-safe.
 *
 * <h2>Request</h2>
 *
 * <ul>
 *   <li>{@code system}/{@code developer} messages become {@code system: [{text}]}, in order.
 *   <li>{@code user}/{@code assistant} messages become messages of {@code text} and {@code image}
 *       blocks ({@code image_url} data URLs of png, jpeg, gif or webp as {@code source.bytes};
 *       http(s) URLs are refused with 400, since Bedrock cannot fetch them); assistant
 *       {@code tool_calls} become {@code toolUse {toolUseId, name, input}} (arguments not a JSON
 *       object: 400); {@code tool} messages become {@code toolResult {toolUseId, content:[{text}]}}
 *       blocks of a user message. Same-role neighbours are merged, so parallel tool results form
 *       one user message. Empty assistant text is left out (Converse refuses blank blocks).
 *   <li>{@code tools} become {@code toolConfig.tools[].toolSpec {name, description,
 *       inputSchema.json}}; {@code tool_choice} auto/required/function becomes
 *       {@code toolChoice} auto/any/tool; {@code none} leaves the tools out. A history with tool
 *       calls but no {@code tools} (which Converse refuses without a toolConfig) gets a
 *       {@code toolConfig} of the history's tool names with the schema {@code {"type":"object"}}.
 *   <li>{@code response_format} json_schema becomes {@code outputConfig.textFormat} (structured
 *       output; the schema as a JSON string, with its name and description).
 *   <li>{@code max_completion_tokens} (else {@code max_tokens}), {@code temperature},
 *       {@code top_p} and {@code stop} become {@code inferenceConfig} maxTokens, temperature,
 *       topP and stopSequences.
 * </ul>
 *
 * <p><b>Refused (400):</b> {@code n} other than 1, {@code audio}, {@code functions},
 * {@code response_format} json_object (Converse has no schema-less JSON mode), non-function tools,
 * content parts other than text and image_url. <b>Dropped:</b> penalties, {@code seed},
 * {@code logprobs}, {@code user}, {@code stream_options} (usage is always reported),
 * {@code parallel_tool_calls}, reasoning fields for models other than Claude, and the other fields
 * Converse has no counterpart for.
 *
 * <p><b>Thinking</b> (Claude models): the pivot's {@code thinking} budget, else its
 * {@code reasoning_effort}, becomes {@code additionalModelRequestFields.thinking} (maxTokens raised
 * above it, no temperature, top_p only from 0.95); signed {@code thinking_blocks} of assistant turns
 * go back first as {@code reasoningContent} ({@code reasoningText} with its signature, or
 * {@code redactedContent}).
 *
 * <h2>Answer</h2>
 *
 * {@code output.message.content} text blocks are concatenated into {@code content} (null when
 * none), {@code toolUse} blocks become {@code tool_calls}; {@code reasoningContent} blocks become
 * {@code reasoning_content} and {@code thinking_blocks} (with signatures; redacted content as
 * {@code redacted_thinking}), streamed as {@code reasoning_content} deltas and
 * {@code thinking_blocks} deltas for signatures and redacted content.
 * {@code stopReason} end_turn and stop_sequence become stop, max_tokens length, tool_use
 * tool_calls, content_filtered and guardrail_intervened content_filter. Usage counts cache reads
 * and writes in the prompt. Converse answers carry no id or model: the id is generated, the model
 * is the one asked for, {@code created} comes from the injected clock.
 *
 * <p>Streams ({@code application/vnd.amazon.eventstream}, CRC-checked, cut anywhere):
 * {@code messageStart} gives the role chunk, text deltas content chunks, each {@code toolUse}
 * block a tool-call chunk (id, name, empty arguments; indexes count tool uses only) and its input
 * deltas argument chunks, {@code messageStop} the finish chunk, {@code metadata} the usage-only
 * chunk ({@code choices: []}). An exception message is thrown as a
 * {@link GatewayError.ProviderError} whose code is the exception type (throttlingException 429,
 * serviceUnavailableException 503, validationException 400, internalServerException 500,
 * modelTimeoutException 504, others such as modelStreamErrorException 502); a stream without
 * {@code messageStop} fails as truncated.
 *
 * <p>Errors: Bedrock's {@code {"message"}} body keeps its status and message, the type following the
 * status; any other body becomes {@link GatewayError.UpstreamStatus}.
 */
public final class OpenAiToBedrockConverseTranslator implements BackendTranslator {

  public static final String PROVIDER = BedrockJson.PROVIDER;

  private final SigV4 signer;
  private final String authority;
  private final InstantSource clock;
  private final Supplier<String> ids;
  private String model;
  private ConverseStreamTranslation stream;
  private TokenUsage usage;

  /**
   * @param credentials signs the requests
   * @param region the signing region, e.g. {@code us-east-1}
   * @param authority the Host header the HTTP client sends ({@code host[:port]})
   * @param clock signs the requests and gives {@code created}; fixed in tests
   */
  public OpenAiToBedrockConverseTranslator(
      AwsCredentials credentials, String region, String authority, InstantSource clock) {
    this(credentials, region, authority, clock, () -> "chatcmpl-" + UUID.randomUUID());
  }

  OpenAiToBedrockConverseTranslator(AwsCredentials credentials, String region, String authority,
      InstantSource clock, Supplier<String> ids) {
    Objects.requireNonNull(credentials, "credentials");
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("Bedrock needs a region, e.g. us-east-1");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.signer = new SigV4(credentials, region, clock);
    this.authority = Objects.requireNonNull(authority, "authority");
    this.ids = ids;
  }

  @Override
  public UpstreamCall chatRequest(ObjectNode openAiRequest, BackendCall call) throws TranslationException {
    if (call.model() == null || call.model().isBlank()) {
      throw ConverseRequestTranslation.invalid("A model (the Bedrock model id or ARN) is required", "model");
    }
    model = call.model();
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(ConverseRequestTranslation.translate(openAiRequest, call.model()));
    } catch (IOException e) {
      throw new TranslationException(new GatewayError.Internal("Cannot serialise the request"));
    }
    String base = call.basePath() == null ? "" : call.basePath().replaceAll("/+$", "");
    String path = base + "/model/" + encode(call.model()) + (call.stream() ? "/converse-stream" : "/converse");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", call.stream() ? "application/vnd.amazon.eventstream" : "application/json");
    return new UpstreamCall("POST", path, signer.sign("POST", authority, path, headers, body), body);
  }

  @Override
  public ObjectNode chatResponse(byte[] body) throws TranslationException {
    ObjectNode answer = BedrockJson.object(body, "the answer");
    JsonNode content = answer.path("output").path("message").get("content");
    if (content == null || !content.isArray()) {
      throw BedrockJson.invalid("the answer has no output.message.content");
    }
    StringBuilder text = null;
    StringBuilder reasoning = null;
    ArrayNode toolCalls = Json.MAPPER.createArrayNode();
    ArrayNode thinkingBlocks = Json.MAPPER.createArrayNode();
    for (JsonNode block : content) {
      if (block.path("text").isTextual()) {
        text = (text == null ? new StringBuilder() : text).append(block.get("text").asText());
      } else if (block.path("reasoningContent").isObject()) {
        JsonNode reasoningContent = block.get("reasoningContent");
        JsonNode reasoningText = reasoningContent.path("reasoningText");
        if (reasoningText.isObject()) {
          String thought = reasoningText.path("text").asText("");
          reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(thought);
          ObjectNode thinking = thinkingBlocks.addObject().put("type", "thinking").put("thinking", thought);
          thinking.put("signature", reasoningText.path("signature").asText(""));
        } else if (reasoningContent.path("redactedContent").isTextual()) {
          thinkingBlocks.addObject().put("type", "redacted_thinking")
              .put("data", reasoningContent.get("redactedContent").asText());
        }
      } else if (block.path("toolUse").isObject()) {
        JsonNode use = block.get("toolUse");
        ObjectNode call = toolCalls.addObject().put("id", use.path("toolUseId").asText())
            .put("type", "function");
        JsonNode input = use.get("input");
        call.putObject("function").put("name", use.path("name").asText())
            .put("arguments", input == null || input.isNull() ? "{}" : input.toString());
      } // other blocks: no OpenAI counterpart
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", ids.get()).put("object", "chat.completion")
        .put("created", clock.instant().getEpochSecond()).put("model", model);
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    message.put("content", text == null ? null : text.toString());
    if (reasoning != null) {
      message.put("reasoning_content", reasoning.toString());
    }
    if (!thinkingBlocks.isEmpty()) {
      message.set("thinking_blocks", thinkingBlocks);
    }
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
    String finish = BedrockJson.finishReason(answer.path("stopReason").asText(null));
    choice.put("finish_reason", finish == null ? "stop" : finish);
    usage = BedrockJson.usage(answer.get("usage"));
    if (usage != null) {
      out.set("usage", BedrockJson.usageNode(usage));
    }
    return out;
  }

  @Override
  public void streamBytes(byte[] bytes, Consumer<ObjectNode> chunks) throws TranslationException {
    stream().bytes(bytes, chunks);
  }

  @Override
  public void streamEnd(Consumer<ObjectNode> chunks) throws TranslationException {
    stream().end(chunks);
  }

  /** Bedrock's error body is {@code {"message": ...}} (the type is in a header the proxy keeps). */
  @Override
  public GatewayError upstreamError(int status, byte[] body) {
    return errorOf(status, body);
  }

  /** Bedrock's {@code {"message"}} error body, for Converse and InvokeModel alike. */
  static GatewayError errorOf(int status, byte[] body) {
    try {
      JsonNode tree = Json.MAPPER.readTree(body);
      JsonNode message = tree == null ? null : tree.has("message") ? tree.get("message") : tree.get("Message");
      if (message != null && message.isTextual()) {
        return new GatewayError.ProviderError(status, BedrockJson.errorType(status), "upstream_error",
            message.asText(), PROVIDER);
      }
    } catch (IOException | RuntimeException e) {
      // not Bedrock's error shape: fall through
    }
    return new GatewayError.UpstreamStatus(PROVIDER, status);
  }

  @Override
  public TokenUsage usage() {
    return stream != null ? stream.usage() : usage;
  }

  private ConverseStreamTranslation stream() {
    if (stream == null) {
      stream = new ConverseStreamTranslation(ids.get(), model, clock.instant().getEpochSecond());
    }
    return stream;
  }

  /** RFC 3986 percent-encoding of everything but unreserved characters (model ids hold ':'). */
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
