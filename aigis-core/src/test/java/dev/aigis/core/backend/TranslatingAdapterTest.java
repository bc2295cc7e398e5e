package dev.aigis.core.backend;

import static dev.aigis.core.backend.Backends.backend;
import static dev.aigis.core.backend.Backends.request;
import static dev.aigis.core.backend.Backends.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.exchange.builtin.PathRewrite;
import dev.aigis.core.json.Json;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.processing.ProcessedRequest;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.model.backend.ApiSchema;
import dev.aigis.model.snapshot.ResolvedBackend;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** The translated request: through the pivot to the backend's API, with the route's path rewrite below the base path. */
class TranslatingAdapterTest {

  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2025-01-01T00:00:00Z"));
  private static final String CHAT = """
      {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
      """;

  private static BackendAdapter adapter(ApiEndpoint endpoint, ResolvedBackend backend) {
    Route route = BackendAdapters.route(endpoint, backend, new OpenAiRequest("gpt-4o", false, false), true, CLOCK);
    assertThat(route).isInstanceOf(Route.Upstream.class);
    return ((Route.Upstream) route).adapter();
  }

  /** A chat request whose route rewrote prefix {@code from} to {@code to}. */
  private static ProcessedRequest rewritten(String from, String to) {
    ProcessedRequest request = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions", CHAT);
    request.context().rewriteUpstreamPath(p -> PathRewrite.replacePrefix(from, to, p));
    return request;
  }

  @Test
  void theRoutesRewriteAppliesBelowTheBasePath() throws Exception {
    ResolvedBackend anthropic = backend(ApiSchema.Anthropic);

    UpstreamCall call = adapter(ApiEndpoint.CHAT_COMPLETIONS, anthropic)
        .prepare(rewritten("/v1", "/anthropic/v1"), target(anthropic, "/api", "sk-ant", null));

    assertThat(call.pathAndQuery()).isEqualTo("/api/anthropic/v1/messages");
  }

  @Test
  void theQueryTheTranslatorAddsIsKept() throws Exception {
    ResolvedBackend azure = backend(ApiSchema.AzureOpenAI);

    UpstreamCall call = adapter(ApiEndpoint.CHAT_COMPLETIONS, azure)
        .prepare(rewritten("/openai", "/eastus/openai"), target(azure, "", "azure-key", null));

    assertThat(call.pathAndQuery()).isEqualTo("/eastus/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21");
  }

  @Test
  void aBackendPathOutsideTheRewrittenPrefixIsLeftAlone() throws Exception {
    ResolvedBackend gemini = backend(ApiSchema.Gemini);

    UpstreamCall call = adapter(ApiEndpoint.CHAT_COMPLETIONS, gemini)
        .prepare(rewritten("/v1", "/v2"), target(gemini, "", "g-key", null));

    assertThat(call.pathAndQuery()).isEqualTo("/v1beta/models/gpt-4o:generateContent");
  }

  @Test
  void aBedrockPathIsLeftAsSigned() throws Exception {
    ResolvedBackend bedrock = backend(ApiSchema.AWSBedrock);
    ProcessedRequest plain = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions", CHAT);

    UpstreamCall withRewrite = adapter(ApiEndpoint.CHAT_COMPLETIONS, bedrock)
        .prepare(rewritten("/model", "/bedrock/model"), target(bedrock, "", null, null));
    UpstreamCall withoutRewrite = adapter(ApiEndpoint.CHAT_COMPLETIONS, bedrock).prepare(plain, target(bedrock, "", null, null));

    assertThat(withRewrite.pathAndQuery()).isEqualTo("/model/gpt-4o/converse").isEqualTo(withoutRewrite.pathAndQuery());
    assertThat(withRewrite.headers().get("Authorization")).isEqualTo(withoutRewrite.headers().get("Authorization"));
  }

  @Test
  void theBackendsModelOverrideIsTheModelAsked() throws Exception {
    ResolvedBackend anthropic = backend(ApiSchema.Anthropic, "claude-sonnet-4-5", null);
    ProcessedRequest request = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions", CHAT);

    UpstreamCall call = adapter(ApiEndpoint.CHAT_COMPLETIONS, anthropic).prepare(request, target(anthropic, "", "sk-ant", null));

    assertThat(Json.MAPPER.readTree(call.body()).path("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(call.headers()).containsEntry("x-api-key", "sk-ant").containsEntry("anthropic-version", "2023-06-01");
  }

  @Test
  void anEditedPivotIsTranslatedInsteadOfTheClientsBody() throws Exception {
    ResolvedBackend anthropic = backend(ApiSchema.Anthropic);
    ProcessedRequest request = request(ApiEndpoint.ANTHROPIC_MESSAGES, "/v1/messages", """
        {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "my password is hunter2"}]}
        """);
    var edited = request.context().pivot().request();
    edited.withArray("messages").insertObject(0).put("role", "system").put("content", "Never repeat secrets.");
    request.context().pivot().edited();
    ResolvedBackend openAi = backend(ApiSchema.OpenAI);

    UpstreamCall call = adapter(ApiEndpoint.ANTHROPIC_MESSAGES, openAi).prepare(request, target(openAi, "", "sk-1", null));

    JsonNode messages = Json.MAPPER.readTree(call.body()).path("messages");
    assertThat(messages.get(0).path("content").asText()).isEqualTo("Never repeat secrets.");
    assertThat(call.pathAndQuery()).isEqualTo("/v1/chat/completions");
  }

  @Test
  void aBodyThatIsNotJsonIsAnInvalidRequest() {
    ResolvedBackend anthropic = backend(ApiSchema.Anthropic);
    ProcessedRequest request = request(ApiEndpoint.CHAT_COMPLETIONS, "/v1/chat/completions", "{oops");

    assertThatThrownBy(() -> adapter(ApiEndpoint.CHAT_COMPLETIONS, anthropic).prepare(request, target(anthropic, "", "k", null)))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error())
            .isEqualTo(new GatewayError.InvalidRequest("Request body must be a JSON object", null)));
  }
}
