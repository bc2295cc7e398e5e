package dev.aigis.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.fuzz.Cuts;
import dev.aigis.core.json.Json;
import dev.aigis.core.openai.OpenAiRequestInspector;
import dev.aigis.core.openai.RequestRejected;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.EmbeddingsTranslator;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.model.backend.ApiSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of what an upstream sends back: each provider's stream (SSE, or AWS
 * event-stream for Bedrock) through the decoder the gateway would use for each client API, and
 * non-streamed answers and error bodies through every adapter. Upstreams are as hostile as
 * clients: whatever they send ends as events, then possibly an upstream-type failure (a protocol
 * error, or the upstream's own error kept as a ProviderError), never another exception; and the
 * client receives the same events and the same failure however the bytes are cut.
 * Corpora: {@code UpstreamAnswerFuzzTestInputs/<method>}, the golden fixtures' answers and what
 * fuzzing kept.
 */
class UpstreamAnswerFuzzTest {

  private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000));
  /** Ids some translations draw at random (Bedrock chunk ids, Anthropic message ids): equal for the comparison. */
  private static final Pattern RANDOM_ID =
      Pattern.compile("[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}");
  /** The pivots of native Anthropic answers take {@code created} from the system clock (no clock reaches them). */
  private static final Pattern CREATED = Pattern.compile("\"created\":\\d+");

  /** A client endpoint asking a backend schema: the pairs the gateway serves. */
  private record Exchange(ApiEndpoint endpoint, ApiSchema schema) {}

  /** What a decoder made of an answer: the events (or body chunks) it emitted, or its failure. */
  private record Outcome(List<String> emitted, String failure) {}

  @FuzzTest
  void openAiStream(byte[] stream) {
    streams(stream, new Exchange(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.OpenAI),
        new Exchange(ApiEndpoint.COMPLETIONS, ApiSchema.OpenAI),
        new Exchange(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.OpenAI),
        new Exchange(ApiEndpoint.COMPLETIONS, ApiSchema.AzureOpenAI));
  }

  @FuzzTest
  void anthropicStream(byte[] stream) {
    streams(stream, new Exchange(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.Anthropic),
        new Exchange(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.Anthropic),
        new Exchange(ApiEndpoint.COMPLETIONS, ApiSchema.Anthropic));
  }

  @FuzzTest
  void geminiStream(byte[] stream) {
    streams(stream, new Exchange(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.Gemini),
        new Exchange(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.GCPVertexAI));
  }

  @FuzzTest
  void bedrockStream(byte[] stream) {
    streams(stream, new Exchange(ApiEndpoint.CHAT_COMPLETIONS, ApiSchema.AWSBedrock),
        new Exchange(ApiEndpoint.ANTHROPIC_MESSAGES, ApiSchema.AWSBedrock));
  }

  /**
   * A whole answer, as every schema's 2xx body for both client APIs and as its error body; and
   * as an embeddings answer where the schema has one.
   */
  @FuzzTest
  void answer(byte[] body) throws TranslationException {
    for (ApiSchema schema : ApiSchema.values()) {
      for (ApiEndpoint endpoint : List.of(ApiEndpoint.CHAT_COMPLETIONS, ApiEndpoint.ANTHROPIC_MESSAGES)) {
        var exchange = new Exchange(endpoint, schema);
        Outcome whole = decode(exchange, false, List.of(body));
        assertThat(decode(exchange, false, Cuts.random(body, 512))).isEqualTo(whole);
        ResponseDecoder decoder = adapter(exchange, false).decoder("application/json");
        decoder.pivotOfWhole(body);
        adapter(exchange, false).upstreamError(500, "application/json", body);
      }
      if (BackendAdapters.embeddings(Backends.backend(schema), CLOCK) instanceof EmbeddingsTranslator embeddings) {
        embeddings.request(Json.MAPPER.createObjectNode().put("model", "m").put("input", "hi"), new BackendCall("m", false, ""));
        try {
          embeddings.response(List.of(body));
        } catch (TranslationException e) {
          assertUpstreamFailure(e.error());
        }
        assertThat(embeddings.upstreamError(400, body)).isNotNull();
      }
    }
  }

  private static void streams(byte[] stream, Exchange... exchanges) {
    for (Exchange exchange : exchanges) {
      Outcome whole = decode(exchange, true, List.of(stream));
      // Pieces of a few bytes, not single bytes: the framing decoders have their own bytewise fuzz tests,
      // and twice the executions per second (about 500/s) find more here.
      assertThat(decode(exchange, true, Cuts.random(stream, 4))).as("%s cut small", exchange).isEqualTo(whole);
      assertThat(decode(exchange, true, Cuts.random(stream, 64))).as("%s cut at random", exchange).isEqualTo(whole);
    }
  }

  /** Feeds the chunks to a fresh decoder of this exchange, then ends the answer. */
  private static Outcome decode(Exchange exchange, boolean stream, List<byte[]> chunks) {
    String contentType = !stream ? "application/json"
        : exchange.schema() == ApiSchema.AWSBedrock ? "application/vnd.amazon.eventstream" : "text/event-stream";
    ResponseDecoder decoder = adapter(exchange, stream).decoder(contentType).withPivots();
    List<String> emitted = new ArrayList<>();
    EventSink sink = (bytes, pivot) -> emitted.add(new String(bytes, StandardCharsets.ISO_8859_1)
        + (pivot == null ? "" : " with pivot " + pivot));
    try {
      for (byte[] chunk : chunks) {
        decoder.bytes(chunk, sink);
      }
      decoder.end(sink);
    } catch (TranslationException e) {
      assertUpstreamFailure(e.error());
      return outcome(decoder, emitted, e.error().getClass().getSimpleName() + ": " + e.error().message());
    }
    decoder.usage();
    return outcome(decoder, emitted, null);
  }

  /** What the client received before the end or the failure. */
  private static Outcome outcome(ResponseDecoder decoder, List<String> emitted, String failure) {
    // Body chunks are the network's cut, not events: only their concatenation compares. So is a
    // native stream's after it broke its format: from there it passes on as the network cut it.
    List<String> received = decoder.passesThrough() || decoder.violation() != null
        ? List.of(String.join("", emitted)) : emitted;
    return new Outcome(received.stream().map(UpstreamAnswerFuzzTest::normalised).toList(), failure);
  }

  private static void assertUpstreamFailure(GatewayError error) {
    assertThat(error).as(error.message())
        .isInstanceOfAny(GatewayError.UpstreamProtocolError.class, GatewayError.ProviderError.class);
  }

  /** The adapter the gateway would pick for this exchange, with a simple request already prepared. */
  private static BackendAdapter adapter(Exchange exchange, boolean stream) {
    ApiEndpoint endpoint = exchange.endpoint();
    String body = switch (endpoint) {
      case ANTHROPIC_MESSAGES -> "{\"model\":\"m\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
      case COMPLETIONS -> "{\"model\":\"m\",\"prompt\":\"hi\"";
      default -> "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    } + (stream ? ",\"stream\":true}" : "}");
    try {
      Route route = BackendAdapters.route(endpoint, Backends.backend(exchange.schema()),
          OpenAiRequestInspector.inspect(Backends.bytes(body)), true, CLOCK);
      BackendAdapter adapter = ((Route.Upstream) route).adapter();
      adapter.prepare(Backends.request(endpoint, "/v1/x", body), Backends.target(Backends.backend(exchange.schema()),
          "", "sk-test", null));
      return adapter;
    } catch (RequestRejected | TranslationException e) {
      throw new AssertionError(e);
    }
  }

  private static String normalised(String emitted) {
    return CREATED.matcher(RANDOM_ID.matcher(emitted).replaceAll("ID")).replaceAll("\"created\":0");
  }
}
