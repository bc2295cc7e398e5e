package dev.aigis.core.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.BackendTranslator;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.InboundCodec;
import dev.aigis.core.provider.gemini.inbound.GeminiInboundCodec;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.model.backend.ApiSchema;
import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * A client API and a backend schema that differ: the client's request (or the pivot a processor
 * edited) goes through the chat pivot into the backend's request; the answer comes back through
 * both in reverse. The route's URLRewrite applies to the backend path the translator computes,
 * as it applies to a native request's path.
 */
final class TranslatingAdapter implements BackendAdapter {

  private final InboundCodec codec;
  private final BackendTranslator translator;
  private final boolean stream;
  private final boolean clientAskedForUsage;
  private final String backendName;

  TranslatingAdapter(InboundCodec codec, BackendTranslator translator, boolean stream, boolean clientAskedForUsage,
      String backendName) {
    this.codec = codec;
    this.translator = translator;
    this.stream = stream;
    this.clientAskedForUsage = clientAskedForUsage;
    this.backendName = backendName;
  }

  @Override
  public UpstreamCall prepare(ProcessedRequest request, BackendTarget target) throws TranslationException {
    if (stream && codec.api() == InboundApi.Gemini && !GeminiInboundCodec.serverSentEvents(target.rawQuery())) {
      throw new TranslationException(new GatewayError.InvalidRequest("streamGenerateContent without alt=sse (a JSON"
          + " array) is only served by Gemini and Vertex AI backends; add ?alt=sse", "alt"));
    }
    ObjectNode pivot = request.context().pivot().editedOrNull();
    if (pivot == null) {
      pivot = codec.toPivot(parse(request.body()));
    }
    String override = target.backend().backend().modelNameOverride();
    String model = override != null ? override : pivot.path("model").asText(null);
    UpstreamCall call = BackendAuth.of(target.backend()).authorize(
        translator.chatRequest(pivot, new BackendCall(model, stream, target.basePath())), target.credential());
    return new UpstreamCall(call.method(), rewritten(call.pathAndQuery(), target, request.context().upstreamPathRewrite()),
        call.headers(), call.body());
  }

  static JsonNode parse(byte[] body) throws TranslationException {
    try {
      if (body == null) {
        throw new IOException("no body");
      }
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new TranslationException(new GatewayError.InvalidRequest("Request body must be a JSON object", null));
    }
  }

  /**
   * The route's path rewrite, applied below the backend's base path. A SigV4 signature covers the
   * path the translator signed, so a Bedrock path is left as signed (documented in routing.md).
   */
  static String rewritten(String pathAndQuery, BackendTarget target, UnaryOperator<String> rewrite) {
    if (target.backend().backend().schema() == ApiSchema.AWSBedrock) {
      return pathAndQuery;
    }
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q);
    String base = target.basePath();
    String below = !base.isEmpty() && path.startsWith(base) ? path.substring(base.length()) : path;
    String out = rewrite.apply(below);
    return (below == path ? "" : base) + out + query;
  }

  @Override
  public boolean nativeApi() {
    return false;
  }

  @Override
  public boolean streams() {
    return stream;
  }

  @Override
  public ResponseDecoder decoder(String contentType) {
    return stream ? new TranslatedStreamDecoder(codec, translator, clientAskedForUsage)
        : new TranslatedBodyDecoder(codec, translator, backendName);
  }

  @Override
  public GatewayError upstreamError(int status, String contentType, byte[] body) {
    return translator.upstreamError(status, body);
  }

  @Override
  public boolean translatesErrors() {
    return true;
  }
}
