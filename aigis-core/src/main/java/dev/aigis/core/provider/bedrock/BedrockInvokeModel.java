package dev.aigis.core.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.PivotRequests;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.anthropic.ClaudeBodies;
import dev.aigis.model.backend.AwsCredentials;
import java.io.IOException;
import java.time.InstantSource;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Claude on Bedrock through {@code InvokeModel}, for Anthropic Messages clients: the Messages body
 * goes as the client sent it except {@code model} (the path names it) and {@code stream} (the path
 * says it: {@code /invoke} or {@code /invoke-with-response-stream}), with
 * {@code anthropic_version: bedrock-2023-05-31} and the allowed {@code anthropic-beta} flags as
 * the body's {@code anthropic_beta} array (Bedrock reads no beta header); {@code role: system}
 * messages inside {@code messages} are folded into {@code system}. Signed with SigV4 like Converse.
 * Answers are Anthropic's own: a plain message, or a stream {@link BedrockAnthropicStream} unwraps.
 *
 * <p>{@code count_tokens} goes to {@code POST /model/{id}/count-tokens} as
 * {@code {"input":{"invokeModel":{"body":"<base64 of the InvokeModel body>"}}}}; its
 * {@code {"inputTokens":N}} is answered as Anthropic's {@code {"input_tokens":N}}. Thread-safe.
 */
public final class BedrockInvokeModel {

  private final SigV4 signer;
  private final String authority;

  /**
   * @param region the signing region, e.g. {@code us-east-1}
   * @param authority the Host header the HTTP client sends ({@code host[:port]})
   * @param clock signs the requests; fixed in tests
   */
  public BedrockInvokeModel(AwsCredentials credentials, String region, String authority, InstantSource clock) {
    Objects.requireNonNull(credentials, "credentials");
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("Bedrock needs a region, e.g. us-east-1");
    }
    this.signer = new SigV4(credentials, region, clock);
    this.authority = Objects.requireNonNull(authority, "authority");
  }

  /** The signed InvokeModel call for an Anthropic Messages body. */
  public UpstreamCall messages(ObjectNode messages, String model, boolean stream, String basePath, List<String> betas)
      throws TranslationException {
    byte[] body = bytes(invokeBody(messages, betas));
    String path = modelPath(basePath, model) + (stream ? "/invoke-with-response-stream" : "/invoke");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", stream ? "application/vnd.amazon.eventstream" : "application/json");
    return new UpstreamCall("POST", path, signer.sign("POST", authority, path, headers, body), body);
  }

  /** The signed CountTokens call for an Anthropic {@code count_tokens} body. */
  public UpstreamCall countTokens(ObjectNode countTokens, String model, String basePath, List<String> betas)
      throws TranslationException {
    ObjectNode invoke = invokeBody(countTokens, betas);
    // count_tokens bodies carry no max_tokens, which InvokeModel requires; the count does not depend on it.
    if (!invoke.has("max_tokens")) {
      invoke.put("max_tokens", 1);
    }
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.putObject("input").putObject("invokeModel").put("body", Base64.getEncoder().encodeToString(bytes(invoke)));
    byte[] body = bytes(request);
    String path = modelPath(basePath, model) + "/count-tokens";
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", "application/json");
    return new UpstreamCall("POST", path, signer.sign("POST", authority, path, headers, body), body);
  }

  /** Bedrock's {@code {"inputTokens":N}} as Anthropic's {@code {"input_tokens":N}}. */
  public static byte[] countTokensAnswer(byte[] answer) throws TranslationException {
    JsonNode tokens = BedrockJson.object(answer, "the count-tokens answer").get("inputTokens");
    if (tokens == null || !tokens.canConvertToLong()) {
      throw BedrockJson.invalid("the count-tokens answer has no inputTokens");
    }
    return bytes(Json.MAPPER.createObjectNode().put("input_tokens", tokens.asLong()));
  }

  /** Bedrock's {@code {"message"}} error body as a gateway error; any other body as the bare status. */
  public static GatewayError error(int status, byte[] body) {
    return OpenAiToBedrockConverseTranslator.errorOf(status, body);
  }

  private static ObjectNode invokeBody(ObjectNode messages, List<String> betas) {
    ObjectNode body = ClaudeBodies.forCloud(messages, ClaudeBodies.BEDROCK_VERSION);
    body.remove("stream");
    if (betas != null && !betas.isEmpty()) {
      ArrayNode flags = body.putArray("anthropic_beta");
      betas.forEach(flags::add);
    }
    return body;
  }

  private static String modelPath(String basePath, String model) throws TranslationException {
    if (model == null || model.isBlank()) {
      throw PivotRequests.invalid("A model (the Bedrock model id or inference profile) is required", "model");
    }
    String base = basePath == null ? "" : basePath.replaceAll("/+$", "");
    return base + "/model/" + OpenAiToBedrockConverseTranslator.encode(model);
  }

  private static byte[] bytes(JsonNode tree) {
    try {
      return Json.MAPPER.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
