package dev.aigis.model.backend;

/**
 * Where a GCPVertexAI backend's models live and where its service account trades a signed JWT for
 * an access token.
 *
 * @param project the Google Cloud project id
 * @param location the region, e.g. {@code us-central1}, or {@code global}
 * @param tokenUrl the OAuth token endpoint, or null: the key's {@code token_uri}, else {@link #DEFAULT_TOKEN_URL}
 * @param publisher whose models the backend serves ({@code spec.vertex.publisher}), or null: decided
 *     per request by the model's name ({@code claude*} is Anthropic's)
 */
public record VertexConfig(String project, String location, String tokenUrl, Publisher publisher) {

  public static final String DEFAULT_TOKEN_URL = "https://oauth2.googleapis.com/token";

  /** A Vertex AI model publisher: Anthropic (Claude, through rawPredict) or Google (Gemini). */
  public enum Publisher {
    anthropic,
    google
  }

  /** Publisher decided by model name. */
  public VertexConfig(String project, String location, String tokenUrl) {
    this(project, location, tokenUrl, null);
  }

  /** Vertex AI's host for {@code location}: {@code aiplatform.googleapis.com} for global, else regional. */
  public String defaultHost() {
    return "global".equals(location) ? "aiplatform.googleapis.com" : location + "-aiplatform.googleapis.com";
  }
}
