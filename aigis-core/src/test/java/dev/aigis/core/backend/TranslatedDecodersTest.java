package dev.aigis.core.backend;

import static dev.aigis.core.backend.Backends.bytes;
import static dev.aigis.core.backend.Backends.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.anthropic.OpenAiToAnthropicChatTranslator;
import dev.aigis.core.provider.anthropic.inbound.AnthropicInboundCodec;
import dev.aigis.core.provider.openai.OpenAiInboundCodec;
import dev.aigis.core.provider.openai.OpenAiToOpenAiChatTranslator;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Translated answers with real translators: the Anthropic golden stream (fixtures/anthropic/chat/stream-text)
 * reaches an OpenAI client event by event, each event with its pivot chunk.
 */
class TranslatedDecodersTest {

  private static final String STREAM = "/fixtures/anthropic/chat/stream-text/";
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000));

  private static OpenAiToAnthropicChatTranslator anthropic() {
    return new OpenAiToAnthropicChatTranslator(OpenAiToAnthropicChatTranslator.DEFAULT_VERSION, CLOCK);
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = TranslatedDecodersTest.class.getResourceAsStream(path)) {
      return in.readAllBytes();
    }
  }

  /** The golden pivot chunks, in order (the last is the usage-only chunk). */
  private static List<JsonNode> pivotChunks() throws IOException {
    List<JsonNode> chunks = new ArrayList<>();
    for (String event : new String(resource(STREAM + "response.out.sse"), StandardCharsets.UTF_8).split("\n\n")) {
      if (!event.isBlank()) {
        chunks.add(Json.MAPPER.readTree(event.substring("data: ".length())));
      }
    }
    return chunks;
  }

  private static Backends.Collected decode(ResponseDecoder decoder, byte[] stream, int pieceSize) throws TranslationException {
    var out = new Backends.Collected();
    for (int from = 0; from < stream.length; from += pieceSize) {
      decoder.bytes(Arrays.copyOfRange(stream, from, Math.min(stream.length, from + pieceSize)), out);
    }
    decoder.end(out);
    return out;
  }

  private static JsonNode reparse(JsonNode node) throws IOException {
    return Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(node));
  }

  @Test
  void anOpenAiClientGetsEachPivotChunkAsAnEventCarryingThatChunk() throws Exception {
    var decoder = new TranslatedStreamDecoder(new OpenAiInboundCodec(), anthropic(), false);
    List<JsonNode> expected = pivotChunks();

    Backends.Collected out = decode(decoder, resource(STREAM + "response.in.sse"), 17);

    // The usage-only chunk is the gateway's, not asked for by this client: dropped; [DONE] ends the stream.
    List<JsonNode> content = expected.subList(0, expected.size() - 1);
    assertThat(out.emitted).hasSize(content.size() + 1);
    for (int i = 0; i < content.size(); i++) {
      assertThat(Json.MAPPER.readTree(out.emitted.get(i).substring("data: ".length()))).isEqualTo(content.get(i));
      assertThat(out.emitted.get(i)).endsWith("\n\n");
      assertThat(reparse(out.pivots.get(i))).as("pivot of event %d", i).isEqualTo(content.get(i));
    }
    assertThat(out.emitted.getLast()).isEqualTo("data: [DONE]\n\n");
    assertThat(out.pivots.getLast()).isNull();
    assertThat(decoder.usage()).isEqualTo(new TokenUsage(25, 15, 40, 0, 0));
    assertThat(decoder.contentType()).isEqualTo("text/event-stream");
    assertThat(decoder.events()).isTrue();
  }

  @Test
  void anOpenAiClientThatAskedForUsageGetsTheUsageChunk() throws Exception {
    var decoder = new TranslatedStreamDecoder(new OpenAiInboundCodec(), anthropic(), true);
    List<JsonNode> expected = pivotChunks();

    Backends.Collected out = decode(decoder, resource(STREAM + "response.in.sse"), 64);

    assertThat(out.emitted).hasSize(expected.size() + 1);
    String usageEvent = out.emitted.get(expected.size() - 1);
    assertThat(Json.MAPPER.readTree(usageEvent.substring("data: ".length()))).isEqualTo(expected.getLast());
    assertThat(reparse(out.pivots.get(expected.size() - 1))).isEqualTo(expected.getLast());
  }

  @Test
  void anAnthropicClientsEventsCarryThePivotChunkTheyCameFrom() throws Exception {
    // Anthropic client on an OpenAI backend: one pivot chunk can become several Anthropic events.
    byte[] openAiStream = bytes("""
        data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}

        data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

        data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}}

        data: [DONE]

        """);
    var decoder = new TranslatedStreamDecoder(new AnthropicInboundCodec(), new OpenAiToOpenAiChatTranslator(), false);

    Backends.Collected out = decode(decoder, openAiStream, 33);

    List<String> types = out.emitted.stream().map(e -> e.substring("event: ".length(), e.indexOf('\n'))).toList();
    assertThat(types).containsExactly("message_start", "content_block_start", "content_block_delta",
        "content_block_stop", "message_delta", "message_stop");
    ObjectNode first = out.pivots.getFirst();
    assertThat(first.at("/choices/0/delta/content").asText()).isEqualTo("Hi");
    assertThat(out.pivots.subList(0, 3)).as("one pivot chunk, three events").allSatisfy(p -> assertThat(p).isSameAs(first));
    assertThat(out.pivots.get(3).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(out.pivots.subList(4, 6)).as("the codec's end has no pivot").containsOnlyNulls();
    assertThat(out.emitted.get(4)).contains("\"input_tokens\":9").contains("\"output_tokens\":1");
    assertThat(decoder.usage()).isEqualTo(new TokenUsage(9, 1, 10, 0, 0));
  }

  @Test
  void aBrokenTranslatedStreamThrows() throws Exception {
    var decoder = new TranslatedStreamDecoder(new OpenAiInboundCodec(), anthropic(), false);
    byte[] stream = resource(STREAM + "response.in.sse");
    byte[] truncated = Arrays.copyOf(stream, new String(stream, StandardCharsets.UTF_8).indexOf("event: message_delta"));

    assertThatThrownBy(() -> decode(decoder, truncated, 100)).isInstanceOf(TranslationException.class);
  }

  @Test
  void aTranslatedBodyIsReadWholeAndWrittenAsOneChunkWithItsPivot() throws Exception {
    var decoder = new TranslatedBodyDecoder(new OpenAiInboundCodec(), anthropic(), Backends.NAME);
    byte[] answer = bytes("""
        {"id": "msg_08", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
         "content": [{"type": "text", "text": "The manual covers installation."}],
         "stop_reason": "end_turn", "stop_sequence": null,
         "usage": {"input_tokens": 50, "cache_creation_input_tokens": 1000, "cache_read_input_tokens": 2000,
                   "output_tokens": 30}}
        """);
    var out = new Backends.Collected();

    for (int from = 0; from < answer.length; from += 50) {
      decoder.bytes(Arrays.copyOfRange(answer, from, Math.min(answer.length, from + 50)), out);
    }
    assertThat(out.emitted).as("nothing before the end").isEmpty();
    decoder.end(out);

    JsonNode expected = Json.MAPPER.readTree("""
        {"id": "msg_08", "object": "chat.completion", "created": 1700000000, "model": "claude-sonnet-4-5-20250929",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "The manual covers installation."},
                      "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 3050, "completion_tokens": 30, "total_tokens": 3080,
                   "prompt_tokens_details": {"cached_tokens": 2000, "cache_creation_tokens": 1000}}}
        """);
    assertThat(out.emitted).hasSize(1);
    assertThat(Json.MAPPER.readTree(out.emitted.getFirst())).isEqualTo(expected);
    assertThat(reparse(out.pivots.getFirst())).isEqualTo(expected);
    assertThat(decoder.usage()).isEqualTo(new TokenUsage(3050, 30, 3080, 2000, 0, 1000));
    assertThat(decoder.contentType()).isEqualTo("application/json");
    assertThat(decoder.events()).isFalse();
  }

  @Test
  void aTranslatedBodyOverTheCapIsRefused() {
    var decoder = new TranslatedBodyDecoder(new OpenAiInboundCodec(), anthropic(), Backends.NAME);
    var out = new Backends.Collected();

    assertThatThrownBy(() -> decoder.bytes(new byte[TranslatedBodyDecoder.MAX_ANSWER_BYTES + 1], out))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error())
            .isEqualTo(new GatewayError.UpstreamProtocolError(Backends.NAME, "answer too large to translate")));
  }
}
