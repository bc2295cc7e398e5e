package dev.aigis.core.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Estimates a chat request's tokens before it is sent, for limits that must decide up front: the
 * input from the pivot (OpenAI chat.completions) request, and the most output it may produce.
 * Stateless and thread-safe; time and memory are linear in the request (see {@link OpenAiEncoding#count}).
 *
 * <p>Input, for OpenAI models, counts with the model's own encoding (o200k_base or cl100k_base) and
 * OpenAI's documented chat framing: {@value #TOKENS_PER_MESSAGE} tokens per message, the role, the
 * content, {@value #TOKENS_PER_NAME} more with a {@code name} (plus the name), and
 * {@value #REPLY_PRIMER} for the primed reply. This reproduces the {@code prompt_tokens} OpenAI reports
 * for text messages (the cookbook's example: 129 with cl100k_base, 124 with o200k_base). Also counted:
 * each tool call's function name and arguments, and the {@code tools} array as compact JSON (OpenAI
 * renders tools in its own form, so this is close, not exact). An image part counts
 * {@value #IMAGE_TOKENS} tokens, what GPT-4o charges for a high-detail 1024x1024 image (85 base plus 4
 * tiles of 170), or {@value #IMAGE_TOKENS_LOW} with {@code detail: low}: the image's size is not known
 * without fetching or decoding it. Audio and file parts are not estimated.
 *
 * <p>Other models (Anthropic, Gemini, Bedrock, anything unknown) have tokenizers that cannot be run
 * here, so their input is the o200k_base count times {@value #OTHER_MODELS_FACTOR}, rounded up. The
 * factor is a margin, not a measurement against those tokenizers: on the repository's English
 * datasets ({@code shared/datasets}, the 30,560 {@code text} fields of the guardrail and intent sets)
 * cl100k_base counts 1-3% more than o200k_base per file (per text of 20 tokens or more: mean 2.5%,
 * p95 7.3%), so vocabularies of this kind agree closely, while the tokenizers of Claude models are
 * reported to count more; the margin keeps an estimate used to admit a request on the high side, and
 * the provider's reported usage settles the account afterwards. (A characters/3.5 rule, the other
 * common approximation, over-counts o200k_base on the same texts by 36% on average, p95 63%.)
 *
 * <p>Output is the request's own bound: {@code max_completion_tokens}, else {@code max_tokens}, else 0
 * (unbounded; the caller decides what that means). {@code n} is not applied.
 */
public final class TokenEstimator {

  /** An estimate: the prompt's tokens, and the most the reply may use (0: not bounded by the request). */
  public record Estimate(long inputTokens, long maxOutputTokens) {}

  static final int TOKENS_PER_MESSAGE = 3;
  static final int TOKENS_PER_NAME = 1;
  static final int REPLY_PRIMER = 3;
  static final int IMAGE_TOKENS = 765;
  static final int IMAGE_TOKENS_LOW = 85;
  static final double OTHER_MODELS_FACTOR = 1.2;

  private TokenEstimator() {}

  public static Estimate estimate(ObjectNode request) {
    Optional<OpenAiEncoding> own = OpenAiEncoding.forModel(request.path("model").asText(null));
    OpenAiEncoding encoding = own.orElse(OpenAiEncoding.O200K_BASE);
    long tokens = REPLY_PRIMER;
    for (JsonNode message : request.path("messages")) {
      tokens += message(message, encoding);
    }
    JsonNode tools = request.path("tools");
    if (tools.isArray() && !tools.isEmpty()) {
      tokens += encoding.count(tools.toString());
    }
    if (own.isEmpty()) {
      tokens = (long) Math.ceil(tokens * OTHER_MODELS_FACTOR);
    }
    return new Estimate(tokens, maxOutput(request));
  }

  private static long message(JsonNode message, OpenAiEncoding encoding) {
    if (!message.isObject()) {
      return 0;
    }
    long tokens = TOKENS_PER_MESSAGE + content(message.path("role"), encoding) + content(message.path("content"), encoding);
    if (message.path("name").isTextual()) {
      tokens += TOKENS_PER_NAME + encoding.count(message.get("name").textValue());
    }
    for (JsonNode call : message.path("tool_calls")) {
      tokens += function(call.path("function"), encoding);
    }
    if (message.path("function_call").isObject()) {
      tokens += function(message.get("function_call"), encoding);
    }
    return tokens;
  }

  /** A string, or an array of parts; anything else counts nothing. */
  private static long content(JsonNode content, OpenAiEncoding encoding) {
    if (content.isTextual()) {
      return encoding.count(content.textValue());
    }
    if (!content.isArray()) {
      return 0;
    }
    long tokens = 0;
    for (JsonNode part : content) {
      tokens += switch (part.path("type").asText("")) {
        case "image_url" -> "low".equals(part.path("image_url").path("detail").asText()) ? IMAGE_TOKENS_LOW : IMAGE_TOKENS;
        case "refusal" -> encoding.count(part.path("refusal").asText(""));
        default -> encoding.count(part.path("text").asText(""));
      };
    }
    return tokens;
  }

  /** Arguments arrive as a JSON string (OpenAI) or, from some translations, as the object itself. */
  private static long function(JsonNode function, OpenAiEncoding encoding) {
    JsonNode arguments = function.path("arguments");
    String text = arguments.isTextual() ? arguments.textValue()
        : arguments.isMissingNode() || arguments.isNull() ? "" : arguments.toString();
    return encoding.count(function.path("name").asText("")) + encoding.count(text);
  }

  private static long maxOutput(JsonNode request) {
    for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
      JsonNode value = request.path(field);
      if (value.isIntegralNumber()) {
        return Math.max(0, value.asLong());
      }
    }
    return 0;
  }
}
