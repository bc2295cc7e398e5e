package dev.aigis.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.openai.OpenAiRequest;
import dev.aigis.core.openai.OpenAiRequestInspector;
import dev.aigis.core.openai.RequestRejected;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.EmbeddingsTranslator;
import dev.aigis.core.provider.InboundCodecs;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.model.backend.ApiSchema;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * Coverage-guided fuzzing of a client's request body along the request path: the inspector every
 * JSON request meets, then each client API's pivot and each backend's request translation (chat
 * and embeddings). A client's bytes can only ever be a client's error (400), never a gateway
 * failure. Corpus: {@code ClientRequestFuzzTestInputs/request}, the fixtures' OpenAI and Anthropic
 * requests and what fuzzing kept.
 */
class ClientRequestFuzzTest {

  private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000));
  /** Reads what the gateway writes upstream: translation adds a few levels to the request's nesting. */
  private static final ObjectMapper UPSTREAM = new ObjectMapper();
  private static final List<ApiEndpoint> PIVOTED =
      List.of(ApiEndpoint.CHAT_COMPLETIONS, ApiEndpoint.COMPLETIONS, ApiEndpoint.ANTHROPIC_MESSAGES,
          ApiEndpoint.GEMINI_GENERATE_CONTENT);

  @FuzzTest
  void request(byte[] body) throws IOException {
    OpenAiRequest inspected;
    try {
      inspected = OpenAiRequestInspector.inspect(body);
    } catch (RequestRejected rejected) {
      assertThat(rejected.error()).isInstanceOfAny(GatewayError.MalformedJson.class, GatewayError.InvalidRequest.class);
      return;
    }
    // What the streaming inspector read is what the tree every later step reads says.
    JsonNode tree = Json.MAPPER.readTree(body);
    assertThat(tree).isInstanceOf(ObjectNode.class);
    assertThat(inspected).isEqualTo(new OpenAiRequest(tree.path("model").textValue(),
        tree.path("stream").booleanValue(), tree.path("stream_options").path("include_usage").booleanValue()));

    for (ApiEndpoint endpoint : PIVOTED) {
      ObjectNode pivot;
      try {
        pivot = InboundCodecs.of(endpoint, "gemini-2.5-flash").toPivot(tree.deepCopy()); // Gemini's model is the path's
      } catch (TranslationException e) {
        assertClientError(e);
        continue;
      }
      String model = pivot.path("model").asText(null);
      for (ApiSchema schema : ApiSchema.values()) {
        try {
          UpstreamCall call = BackendAdapters.translator(Backends.backend(schema), CLOCK)
              .chatRequest(pivot.deepCopy(), new BackendCall(model, inspected.stream(), ""));
          assertThat(UPSTREAM.readTree(call.body())).isInstanceOf(ObjectNode.class);
        } catch (TranslationException e) {
          assertClientError(e);
        }
      }
    }
    for (ApiSchema schema : ApiSchema.values()) {
      if (BackendAdapters.embeddings(Backends.backend(schema), CLOCK) instanceof EmbeddingsTranslator embeddings) {
        try {
          assertThat(embeddings.request((ObjectNode) tree.deepCopy(),
              new BackendCall(tree.path("model").asText(null), false, ""))).isNotEmpty();
        } catch (TranslationException e) {
          assertClientError(e);
        }
      }
    }
  }

  private static void assertClientError(TranslationException e) {
    assertThat(e.error()).as(e.error().message()).isInstanceOf(GatewayError.InvalidRequest.class);
  }
}
