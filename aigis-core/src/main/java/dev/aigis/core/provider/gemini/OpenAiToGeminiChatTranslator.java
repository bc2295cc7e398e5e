package dev.aigis.core.provider.gemini;

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
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * OpenAI chat completions to Gemini's {@code generateContent}, on Google AI or on Vertex AI.
 * Created per request; holds the stream's state. Not thread-safe.
 *
 * <h2>Request</h2>
 *
 * Google AI: {@code POST {basePath}/v1beta/models/{model}:generateContent} ({@code BackendAuth}
 * adds {@code x-goog-api-key}). Vertex AI: {@code POST {basePath}/v1/projects/{project}/locations/
 * {location}/publishers/google/models/{model}:generateContent} ({@code BackendAuth} adds the OAuth
 * access token as a bearer token). Streams use {@code :streamGenerateContent?alt=sse}.
 * Body:
 *
 * <ul>
 *   <li>{@code system}/{@code developer} messages become {@code systemInstruction.parts}, in order.
 *   <li>{@code user} messages become {@code user} turns of text parts, {@code inlineData} (data
 *       URLs; {@code image/jpg} sent as {@code image/jpeg}) and {@code fileData} (http(s) URLs and
 *       {@code gs://} URIs; mime type guessed from the extension, else image/jpeg); {@code assistant}
 *       messages {@code model} turns of text and {@code functionCall} parts (arguments parsed; not a
 *       JSON object: 400); {@code tool} messages {@code functionResponse {name, response: {content:
 *       <text>}}} parts of a user turn, the name looked up from the earlier call's id (unknown id:
 *       400). Same-role neighbours are merged.
 *   <li>{@code tools} become one {@code functionDeclarations} tool; {@code tool_choice} auto,
 *       required, none, function becomes {@code functionCallingConfig} AUTO, ANY, NONE, ANY with
 *       {@code allowedFunctionNames}.
 *   <li>{@code generationConfig}: {@code maxOutputTokens} (max_completion_tokens, else max_tokens),
 *       {@code temperature}, {@code topP}, {@code presencePenalty}, {@code frequencyPenalty},
 *       {@code seed}, {@code stopSequences}; {@code json_object} sets
 *       {@code responseMimeType: application/json}, {@code json_schema} also {@code responseSchema};
 *       the pivot's {@code thinking} or {@code reasoning_effort} becomes {@code thinkingConfig}
 *       (a budget with {@code includeThoughts}, or a budget of 0 when disabled).
 * </ul>
 *
 * <p><b>Schemas:</b> tool parameters and {@code responseSchema} become Gemini's OpenAPI-style
 * {@code Schema} ({@link GeminiSchema}): local {@code $ref}s inlined (recursive ones refused with
 * 400), type lists folded into {@code nullable}/{@code anyOf}, keywords Gemini does not know
 * removed. {@code strict} is not enforced.
 *
 * <p><b>Refused (400):</b> {@code n} other than 1, {@code audio}, non-text {@code modalities},
 * {@code functions}/{@code function_call}, non-function tools, content parts other than text and
 * image_url, schema references that cannot be inlined. <b>Dropped:</b> logprobs, logit_bias, user,
 * metadata, store, service_tier, parallel_tool_calls, stream_options (usage is always reported).
 *
 * <h2>Answer</h2>
 *
 * {@code candidates[0].content.parts}: text parts are concatenated into {@code content}, thought
 * parts ({@code thought: true}) into {@code reasoning_content} ({@code thoughtSignature}s are
 * lost); {@code functionCall} parts become {@code tool_calls} with ids {@code call_0},
 * {@code call_1}... numbered in the answer (Gemini has no call ids; the ids are only unique within
 * one answer, which is all OpenAI clients need to pair results with calls). {@code finishReason}
 * STOP stop (tool_calls with function calls), MAX_TOKENS length, SAFETY, RECITATION, BLOCKLIST,
 * PROHIBITED_CONTENT, SPII content_filter; a prompt blocked by {@code promptFeedback} (no
 * candidate) content_filter with null content. Usage: prompt tokens {@code promptTokenCount} with
 * {@code cachedContentTokenCount} as cached tokens, completion tokens candidates plus
 * {@code thoughtsTokenCount}, the latter also as reasoning tokens. {@code id} is
 * {@code responseId}, else a new id per answer; {@code model} {@code modelVersion},
 * {@code created} the injected clock.
 *
 * <p>Streams: a role chunk first, then text and reasoning deltas and each function call as one complete tool-call
 * delta (id, name, whole arguments, its index), a finish chunk at the first {@code finishReason},
 * and at the end a usage-only chunk ({@code choices: []}) from the last {@code usageMetadata}. An
 * error object inside the stream is thrown as a {@link GatewayError.ProviderError}; a stream that
 * ends without a {@code finishReason} was cut and fails as truncated.
 *
 * <p>Errors: Google's {@code {"error":{"code","message","status"}}} keeps its status and message,
 * with {@code status} (e.g. {@code INVALID_ARGUMENT}) as the code; other bodies become
 * {@link GatewayError.UpstreamStatus}.
 */
public final class OpenAiToGeminiChatTranslator implements BackendTranslator {

  /** Where the model lives: Google AI's API, or a Vertex AI project and location. */
  public sealed interface Target {
    /** Google AI ({@code generativelanguage.googleapis.com}). */
    record GoogleAi() implements Target {}

    /** Vertex AI in a project and location. */
    record Vertex(String project, String location) implements Target {
      public Vertex {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(location, "location");
      }
    }
  }

  private final Target target;
  private final InstantSource clock;
  /** Ids for answers Google sent without a {@code responseId}: one per answer. */
  private final Supplier<String> ids;
  private GeminiStreamTranslation stream;
  private TokenUsage usage;

  public OpenAiToGeminiChatTranslator(Target target) {
    this(target, InstantSource.system());
  }

  /** @param clock gives {@code created}; fixed in tests */
  public OpenAiToGeminiChatTranslator(Target target, InstantSource clock) {
    this(target, clock, OpenAiToGeminiChatTranslator::newId);
  }

  /** @param ids gives the id of an answer without a {@code responseId}; fixed in tests */
  public OpenAiToGeminiChatTranslator(Target target, InstantSource clock, Supplier<String> ids) {
    this.target = Objects.requireNonNull(target, "target");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  /** {@code chatcmpl-} and a random UUID's 32 hex digits: unique like OpenAI's own ids. */
  static String newId() {
    return "chatcmpl-" + java.util.UUID.randomUUID().toString().replace("-", "");
  }

  @Override
  public UpstreamCall chatRequest(ObjectNode openAiRequest, BackendCall call) throws TranslationException {
    if (call.model() == null || call.model().isBlank()) {
      throw new TranslationException(new GatewayError.InvalidRequest("'model' is required", "model"));
    }
    ObjectNode body = GeminiRequestTranslation.translate(openAiRequest);
    String model = encode(call.model().startsWith("models/") ? call.model().substring("models/".length()) : call.model());
    String method = call.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
    Map<String, String> headers = new LinkedHashMap<>();
    String path = switch (target) {
      case Target.GoogleAi g -> call.basePath() + "/v1beta/models/" + model + method;
      case Target.Vertex v -> call.basePath() + "/v1/projects/" + encode(v.project()) + "/locations/"
          + encode(v.location()) + "/publishers/google/models/" + model + method;
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
    JsonNode answer = GeminiJson.read(body, "the answer");
    GatewayError.ProviderError error = GeminiJson.error(answer, 502);
    if (error != null) {
      throw new TranslationException(error);
    }
    JsonNode candidate = answer.path("candidates").path(0);
    StringBuilder text = null;
    ArrayNode toolCalls = Json.MAPPER.createArrayNode();
    StringBuilder reasoning = null;
    for (JsonNode part : GeminiJson.parts(candidate)) {
      if (part.path("thought").asBoolean(false)) {
        if (part.path("text").isTextual()) {
          reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(part.path("text").asText());
        }
        continue;
      }
      if (part.path("text").isTextual()) {
        text = (text == null ? new StringBuilder() : text).append(part.path("text").asText());
      } else if (part.path("functionCall").isObject()) {
        toolCalls.add(GeminiJson.toolCall(part.get("functionCall"), toolCalls.size()));
      }
    }
    String reason = candidate.path("finishReason").asText(null);
    if (candidate.isMissingNode()) {
      if (answer.path("promptFeedback").path("blockReason").isMissingNode()) {
        throw GeminiJson.invalid("the answer has no candidate");
      }
      reason = "SAFETY";
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", answer.path("responseId").asText(null) != null ? answer.path("responseId").asText() : ids.get())
        .put("object", "chat.completion")
        .put("created", clock.instant().getEpochSecond()).put("model", answer.path("modelVersion").asText(null));
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    message.put("content", text == null ? null : text.toString());
    if (reasoning != null) {
      message.put("reasoning_content", reasoning.toString());
    }
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
    String finish = GeminiJson.finishReason(reason, !toolCalls.isEmpty());
    choice.put("finish_reason", finish == null ? "stop" : finish);
    usage = GeminiJson.usage(answer.get("usageMetadata"));
    if (usage != null) {
      out.set("usage", GeminiJson.usageNode(usage));
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

  @Override
  public GatewayError upstreamError(int status, byte[] body) {
    try {
      GatewayError.ProviderError error = GeminiJson.error(Json.MAPPER.readTree(body), status);
      if (error != null) {
        return new GatewayError.ProviderError(status, error.type(), error.code(), error.message(), error.provider());
      }
    } catch (IOException | RuntimeException e) {
      // not Google's error shape (a proxy's HTML page, an empty body): fall through
    }
    return new GatewayError.UpstreamStatus(GeminiJson.PROVIDER, status);
  }

  @Override
  public TokenUsage usage() {
    return stream != null ? stream.usage() : usage;
  }

  private GeminiStreamTranslation stream() {
    if (stream == null) {
      stream = new GeminiStreamTranslation(clock, ids);
    }
    return stream;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
