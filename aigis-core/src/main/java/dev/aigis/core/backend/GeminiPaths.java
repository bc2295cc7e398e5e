package dev.aigis.core.backend;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.model.backend.ApiSchema;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a Gemini client's request goes natively. Google AI gets the path as sent (below the
 * backend's base path), with the model replaced when the backend sets {@code modelNameOverride};
 * Vertex AI serves the same body at its publisher path,
 * {@code /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:{method}}.
 */
final class GeminiPaths {

  private GeminiPaths() {}

  /** The path (no base path, no query) a Gemini request takes on {@code target}'s backend. */
  static String upstream(ApiEndpoint endpoint, String path, String model, BackendTarget target) {
    var backend = target.backend().backend();
    String override = backend.modelNameOverride();
    String method = switch (endpoint) {
      case GEMINI_STREAM_GENERATE_CONTENT -> "streamGenerateContent";
      case GEMINI_COUNT_TOKENS -> "countTokens";
      default -> "generateContent";
    };
    String name = encode(override != null ? override : model);
    if (backend.schema() == ApiSchema.GCPVertexAI) {
      return "/v1/projects/" + encode(backend.vertex().project()) + "/locations/"
          + encode(backend.vertex().location()) + "/publishers/google/models/" + name + ":" + method;
    }
    if (override == null) {
      return path;
    }
    int models = path.indexOf("/models/") + "/models/".length();
    return path.substring(0, models) + name + ":" + method;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
