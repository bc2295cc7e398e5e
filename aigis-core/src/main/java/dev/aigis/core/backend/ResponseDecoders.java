package dev.aigis.core.backend;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.model.backend.ApiSchema;

/** Decoders a front door needs outside an adapter. */
public final class ResponseDecoders {

  private ResponseDecoders() {}

  /** Passes the bytes on as received and reads nothing: an error body already in the client's format. */
  public static ResponseDecoder raw() {
    return new PassthroughBodyDecoder(null);
  }

  /**
   * For answers already in the client's format, for front doors that do not call the backend
   * themselves (behind the ext_proc server, Envoy does): the native adapter's decoder of the
   * client's API, so usage is read the same way the data plane reads it.
   */
  public static ResponseDecoder forClient(ApiEndpoint endpoint, String contentType, String backendName) {
    ApiSchema schema = switch (endpoint.api()) {
      case Anthropic -> ApiSchema.Anthropic;
      case Gemini -> ApiSchema.Gemini;
      case OpenAI -> ApiSchema.OpenAI;
    };
    NativeAdapter adapter = new NativeAdapter(endpoint, schema, OpenAiRequest.EMPTY, backendName);
    return adapter.decoder(contentType);
  }
}
