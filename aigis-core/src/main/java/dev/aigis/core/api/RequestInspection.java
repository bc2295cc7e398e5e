package dev.aigis.core.api;

import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.openai.OpenAiRequestInspector;
import dev.aigis.core.openai.RequestRejected;
import dev.aigis.core.provider.InboundApi;

/**
 * What routing needs of a request, for every client API: the one place both front doors (the HTTP
 * data plane and the ext_proc server) ask. Body-routed APIs (OpenAI, Anthropic) name the model and
 * the stream flag in the body; path-routed ones (Gemini's {@code models/{model}:streamGenerateContent})
 * in the path and the method. The body is checked the same way for all (a JSON object, well formed).
 */
public final class RequestInspection {

  private RequestInspection() {}

  /**
   * @param path the normalised request path, without the query
   * @throws RequestRejected a body that is not a well-formed JSON object, in the caller's terms
   */
  public static OpenAiRequest inspect(ApiEndpoint endpoint, String path, byte[] body) throws RequestRejected {
    OpenAiRequest fromBody = OpenAiRequestInspector.inspect(body);
    if (endpoint.api() != InboundApi.Gemini) {
      return fromBody;
    }
    return new OpenAiRequest(ApiEndpoint.pathModel(path), endpoint == ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT,
        false);
  }
}
