package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.anthropic.AnthropicBetas;
import dev.aigis.core.provider.anthropic.ClaudeBodies;
import dev.aigis.core.provider.anthropic.OpenAiToAnthropicChatTranslator;
import dev.aigis.core.provider.bedrock.BedrockInvokeModel;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic Messages clients ({@code /v1/messages}, {@code /v1/messages/count_tokens}) to Claude
 * hosted by a cloud: Vertex AI's {@code rawPredict} or Bedrock's {@code InvokeModel}. Native-like:
 * the client's body is kept (prompt caching, thinking, tools, fields newer than the gateway), only
 * re-enveloped ({@link ClaudeBodies}); the answers are Anthropic's own JSON and events, so they
 * reach the client as Anthropic's would, with Anthropic's usage reader. The {@code anthropic-beta}
 * header is filtered through the backend's allow-list ({@link AnthropicBetas}): a header for
 * Vertex AI, the body's {@code anthropic_beta} for Bedrock. Errors are translated (the clouds'
 * error shapes are not Anthropic's). Created per exchange; not thread-safe.
 */
final class ClaudeCloudAdapter implements BackendAdapter {

  /** The cloud that hosts Claude. */
  sealed interface Cloud {
    record Vertex(String project, String location) implements Cloud {}

    record Bedrock(BedrockInvokeModel invoke) implements Cloud {}
  }

  private final ApiEndpoint endpoint;
  private final Cloud cloud;
  private final OpenAiRequest inspected;
  private final List<String> allowedBetas;
  private final String backendName;

  /** @param allowedBetas the flags allowed through, never null (clouds always filter) */
  ClaudeCloudAdapter(ApiEndpoint endpoint, Cloud cloud, OpenAiRequest inspected, List<String> allowedBetas,
      String backendName) {
    this.endpoint = endpoint;
    this.cloud = cloud;
    this.inspected = inspected;
    this.allowedBetas = allowedBetas;
    this.backendName = backendName;
  }

  @Override
  public UpstreamCall prepare(ProcessedRequest request, BackendTarget target) throws TranslationException {
    ObjectNode body = body(request, target);
    String override = target.backend().backend().modelNameOverride();
    String model = override != null ? override : body.path("model").asText(null);
    if (model == null || model.isBlank()) {
      throw new TranslationException(new GatewayError.InvalidRequest("model: Field required", "model"));
    }
    List<String> betas = AnthropicBetas.filter(request.headers().get("anthropic-beta"), allowedBetas);
    boolean count = endpoint == ApiEndpoint.ANTHROPIC_COUNT_TOKENS;
    UpstreamCall call = switch (cloud) {
      case Cloud.Vertex v -> {
        Map<String, String> headers = new HashMap<>(4);
        headers.put("content-type", "application/json");
        if (!betas.isEmpty()) {
          headers.put("anthropic-beta", String.join(",", betas));
        }
        ObjectNode out;
        String path;
        if (count) {
          // Vertex AI's counter takes the count_tokens body with its model, as Anthropic's does.
          out = body.deepCopy();
          out.put("model", model);
          ClaudeBodies.foldSystemMessages(out);
          path = ClaudeBodies.vertexCountTokensPath(target.basePath(), v.project(), v.location());
        } else {
          out = ClaudeBodies.forCloud(body, ClaudeBodies.VERTEX_VERSION);
          path = ClaudeBodies.vertexPath(target.basePath(), v.project(), v.location(), model, inspected.stream());
        }
        yield BackendAuth.of(target.backend()).authorize(new UpstreamCall("POST", path, headers, bytes(out)),
            target.credential());
      }
      case Cloud.Bedrock b -> count ? b.invoke().countTokens(body, model, target.basePath(), betas)
          : b.invoke().messages(body, model, inspected.stream(), target.basePath(), betas);
    };
    // The route's URLRewrite applies below the base path as on translated calls (not to signed Bedrock paths).
    return new UpstreamCall(call.method(),
        TranslatingAdapter.rewritten(call.pathAndQuery(), target, request.context().upstreamPathRewrite()),
        call.headers(), call.body());
  }

  /** The client's body, or, when a processor edited the pivot, the Messages body rebuilt from it. */
  private ObjectNode body(ProcessedRequest request, BackendTarget target) throws TranslationException {
    ObjectNode edited = endpoint == ApiEndpoint.ANTHROPIC_MESSAGES ? request.context().pivot().editedOrNull() : null;
    if (edited != null) {
      String model = edited.path("model").asText(null);
      byte[] rebuilt = new OpenAiToAnthropicChatTranslator().chatRequest(edited,
          new BackendCall(model, inspected.stream(), target.basePath())).body();
      return (ObjectNode) TranslatingAdapter.parse(rebuilt);
    }
    if (TranslatingAdapter.parse(request.body()) instanceof ObjectNode object) {
      return object;
    }
    throw new TranslationException(new GatewayError.InvalidRequest("Request body must be a JSON object", null));
  }

  private static byte[] bytes(JsonNode tree) {
    try {
      return Json.MAPPER.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  @Override
  public boolean nativeApi() {
    return false; // the client's anthropic-* headers are not the cloud's; the filtered betas are set above
  }

  @Override
  public boolean streams() {
    return endpoint == ApiEndpoint.ANTHROPIC_MESSAGES && inspected.stream();
  }

  @Override
  public ResponseDecoder decoder(String contentType) {
    if (endpoint == ApiEndpoint.ANTHROPIC_COUNT_TOKENS) {
      return cloud instanceof Cloud.Bedrock ? new WholeAnswerDecoder(BedrockInvokeModel::countTokensAnswer)
          : new PassthroughBodyDecoder(null);
    }
    if (streams()) {
      return cloud instanceof Cloud.Bedrock ? new BedrockClaudeEventDecoder(new AnthropicEventDecoder(backendName))
          : new AnthropicEventDecoder(backendName);
    }
    return new PassthroughBodyDecoder(NativeAdapter.ANTHROPIC_USAGE,
        body -> new OpenAiToAnthropicChatTranslator().chatResponse(body));
  }

  @Override
  public GatewayError upstreamError(int status, String contentType, byte[] body) {
    return switch (cloud) {
      case Cloud.Bedrock b -> BedrockInvokeModel.error(status, body);
      case Cloud.Vertex v -> vertexError(status, body);
    };
  }

  /**
   * Vertex AI answers Claude's own errors in Anthropic's shape and its own (quota, permission,
   * unknown model) in Google's {@code {"error":{"code","message","status"}}}; both keep their
   * status and message.
   */
  static GatewayError vertexError(int status, byte[] body) {
    try {
      JsonNode tree = Json.MAPPER.readTree(body);
      if ("error".equals(tree.path("type").asText())) {
        return new OpenAiToAnthropicChatTranslator().upstreamError(status, body);
      }
      JsonNode error = tree.path("error");
      if (error.path("message").isTextual()) {
        return new GatewayError.ProviderError(status, anthropicType(status),
            error.path("status").asText(anthropicType(status)), error.path("message").asText(), "gcp.vertex_ai");
      }
    } catch (IOException | RuntimeException e) {
      // neither shape: the bare status below
    }
    return new GatewayError.UpstreamStatus("gcp.vertex_ai", status);
  }

  private static String anthropicType(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> "api_error";
    };
  }

  @Override
  public boolean translatesErrors() {
    return true;
  }
}
