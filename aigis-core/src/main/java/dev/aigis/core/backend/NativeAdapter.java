package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.openai.OpenAiRequestRewriter;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.anthropic.AnthropicBetas;
import dev.aigis.core.provider.anthropic.ClaudeBodies;
import dev.aigis.core.provider.anthropic.OpenAiToAnthropicChatTranslator;
import dev.aigis.core.provider.openai.responses.OpenAiToOpenAiResponsesTranslator;
import dev.aigis.core.provider.openai.OpenAiReasoningModels;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.gemini.OpenAiToGeminiChatTranslator;
import dev.aigis.core.usage.GeminiUsage;
import dev.aigis.core.usage.AnthropicUsage;
import dev.aigis.core.usage.ResponsesUsage;
import dev.aigis.core.usage.UsageTail;
import dev.aigis.core.usage.TokenUsage;
import dev.aigis.model.backend.ApiSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Native passthrough: the client and the backend speak the same API (OpenAI to OpenAI, Anthropic
 * to Anthropic, Gemini to Google AI or Vertex AI, the latter at its own path: {@link GeminiPaths}),
 * so the body goes as the processors left it, rewritten only when needed (the backend's
 * {@code modelNameOverride}, for Gemini in the path; {@code stream_options.include_usage} so the
 * gateway can count a streamed OpenAI answer's tokens; {@code max_tokens} sent to an OpenAI
 * reasoning model, which refuses it, as {@code max_completion_tokens}; {@code role: system}
 * messages inside an Anthropic body's {@code messages}, folded into {@code system}), and the answer
 * comes back as received, event by event, with the provider's own usage reader.
 */
final class NativeAdapter implements BackendAdapter {

  static final UsageTail.Reader ANTHROPIC_USAGE = p -> AnthropicUsage.from(Json.MAPPER.readTree(p));
  private static final UsageTail.Reader GEMINI_USAGE = p -> GeminiUsage.from(Json.MAPPER.readTree(p));

  /** The Messages API version sent when neither the client nor the backend names one. */
  static final String ANTHROPIC_VERSION = "2023-06-01";

  private final ApiEndpoint endpoint;
  private final ApiSchema schema;
  private final OpenAiRequest inspected;
  private final String backendName;
  private boolean injectedUsage;

  NativeAdapter(ApiEndpoint endpoint, ApiSchema schema, OpenAiRequest inspected, String backendName) {
    this.endpoint = endpoint;
    this.schema = schema;
    this.inspected = inspected;
    this.backendName = backendName;
  }

  @Override
  public UpstreamCall prepare(ProcessedRequest request, BackendTarget target) throws TranslationException {
    byte[] body = request.body();
    ObjectNode edited = request.context().pivot().editedOrNull();
    if (edited != null) {
      body = fromPivot(edited, request, target);
    }
    boolean askForUsage = inspected.stream() && endpoint.openAiStreamUsage() && schema == ApiSchema.OpenAI;
    String override = target.backend().backend().modelNameOverride();
    boolean gemini = endpoint.api() == InboundApi.Gemini;
    if (!gemini && body != null && OpenAiRequestRewriter.needed(inspected, override, askForUsage)) {
      body = OpenAiRequestRewriter.rewrite(body, override, askForUsage);
    }
    if (schema == ApiSchema.Anthropic && edited == null
        && (endpoint == ApiEndpoint.ANTHROPIC_MESSAGES || endpoint == ApiEndpoint.ANTHROPIC_COUNT_TOKENS)) {
      // Coding agents send role: system messages inside messages, which the Messages API refuses.
      body = ClaudeBodies.foldSystemMessages(body);
    }
    if (body != null && endpoint == ApiEndpoint.CHAT_COMPLETIONS && schema == ApiSchema.OpenAI) {
      body = OpenAiReasoningModels.nativeBody(body, override != null ? override : inspected.model());
    }
    injectedUsage = askForUsage && !inspected.clientAskedForUsage();
    Map<String, String> headers = new HashMap<>(4);
    BackendAuth.of(target.backend()).apply(target.credential(), headers);
    if (schema == ApiSchema.Anthropic) {
      betas(request, target, headers);
    }
    if (schema == ApiSchema.Anthropic && request.headers().get("anthropic-version") == null) {
      String version = target.backend().backend().apiVersion();
      headers.put("anthropic-version", version != null ? version : ANTHROPIC_VERSION);
    }
    String query = target.rawQuery();
    String path = target.basePath() + (gemini ? GeminiPaths.upstream(endpoint, request.path(), inspected.model(), target)
        : request.path()) + (query == null ? "" : "?" + query);
    return new UpstreamCall(request.method(), path, headers, body);
  }

  /**
   * Anthropic's API takes every {@code anthropic-beta} flag; a backend with {@code
   * spec.anthropic.betas} (a gateway in front of a proxy that refuses some) gets only those. An
   * empty value removes the header ({@link UpstreamCall}).
   */
  private static void betas(ProcessedRequest request, BackendTarget target, Map<String, String> headers) {
    List<String> allowed = AnthropicBetas.allowed(target.backend().backend().options().anthropicBetas(),
        ApiSchema.Anthropic);
    String beta = request.headers().get("anthropic-beta");
    if (allowed != null && beta != null) {
      headers.put("anthropic-beta", String.join(",", AnthropicBetas.filter(beta, allowed)));
    }
  }

  /** A processor edited the pivot: the native request is rebuilt from it ({@link PivotBodies}). */
  private byte[] fromPivot(ObjectNode pivot, ProcessedRequest request, BackendTarget target) throws TranslationException {
    String version = target.backend().backend().apiVersion();
    return PivotBodies.clientBody(endpoint, pivot, request.body(), inspected.model(), inspected.stream(),
        version != null ? version : ANTHROPIC_VERSION);
  }

  @Override
  public boolean nativeApi() {
    return true;
  }

  @Override
  public boolean streams() {
    return inspected.stream();
  }

  @Override
  public ResponseDecoder decoder(String contentType) {
    boolean sse = contentType != null && contentType.startsWith("text/event-stream");
    if (sse && schema == ApiSchema.Anthropic && endpoint == ApiEndpoint.ANTHROPIC_MESSAGES) {
      return new AnthropicEventDecoder(backendName);
    }
    if (sse && endpoint.openAiStreamUsage()) {
      return new OpenAiEventDecoder(backendName, injectedUsage);
    }
    if (sse && endpoint == ApiEndpoint.RESPONSES) {
      return new ResponsesEventDecoder();
    }
    if (endpoint.api() == InboundApi.Gemini) {
      return sse ? new GeminiEventDecoder(backendName) : new PassthroughBodyDecoder(
          endpoint.operationName() == null ? null : new UsageTail(GEMINI_USAGE, GeminiUsage.KEY), wholePivot());
    }
    // Rerank answers carry no token usage in a shape the tail readers know (Cohere bills search units).
    UsageTail.Reader usage = endpoint.operationName() == null || sse || endpoint == ApiEndpoint.RERANK ? null
        : schema == ApiSchema.Anthropic ? ANTHROPIC_USAGE
        : endpoint == ApiEndpoint.RESPONSES ? ResponsesUsage::read : UsageTail.OPENAI;
    return new PassthroughBodyDecoder(usage, sse ? null : wholePivot());
  }

  /** How a whole answer of this API becomes a pivot chat completion: only chat answers have one. */
  private PassthroughBodyDecoder.WholePivot wholePivot() {
    if (endpoint == ApiEndpoint.CHAT_COMPLETIONS && schema == ApiSchema.OpenAI) {
      return body -> Json.MAPPER.readTree(body) instanceof ObjectNode o ? o : null;
    }
    if (endpoint == ApiEndpoint.ANTHROPIC_MESSAGES && schema == ApiSchema.Anthropic) {
      return body -> new OpenAiToAnthropicChatTranslator().chatResponse(body);
    }
    if (endpoint == ApiEndpoint.RESPONSES && schema == ApiSchema.OpenAI) {
      return body -> new OpenAiToOpenAiResponsesTranslator().chatResponse(body);
    }
    if (endpoint == ApiEndpoint.GEMINI_GENERATE_CONTENT) {
      return body -> new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.GoogleAi())
          .chatResponse(body);
    }
    return null;
  }

  @Override
  public GatewayError upstreamError(int status, String contentType, byte[] body) {
    // A JSON error is already in the client's format; anything else (an HTML page from a load
    // balancer, plain text from a proxy) would break the client's SDK and is replaced.
    boolean json = contentType != null && contentType.regionMatches(true, 0, "application/json", 0, 16);
    return json ? null : new GatewayError.UpstreamStatus(backendName, status);
  }

  @Override
  public boolean translatesErrors() {
    return false;
  }
}
