package dev.aigis.core.backend;

import static dev.aigis.core.backend.Backends.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.usage.AnthropicUsage;
import dev.aigis.core.usage.UsageTail;
import dev.aigis.core.usage.OpenAiUsage;
import dev.aigis.core.usage.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A native non-streamed answer passes chunk by chunk; usage is read from its tail. */
class PassthroughBodyDecoderTest {

  private static List<byte[]> relay(PassthroughBodyDecoder decoder, List<byte[]> chunks) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] chunk : chunks) {
      decoder.bytes(chunk, (bytes, pivot) -> {
        assertThat(pivot).isNull();
        out.add(bytes);
      });
    }
    decoder.end((bytes, pivot) -> out.add(bytes));
    return out;
  }

  /** Cuts {@code body} into pieces of {@code size} bytes. */
  private static List<byte[]> pieces(String body, int size) {
    byte[] all = bytes(body);
    List<byte[]> pieces = new ArrayList<>();
    for (int from = 0; from < all.length; from += size) {
      pieces.add(java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + size)));
    }
    return pieces;
  }

  @Test
  void readsOpenAiUsageFromTheTailOfALongAnswerAndPassesEveryChunkAsReceived() {
    String body = """
        {"id": "chatcmpl-1", "object": "chat.completion",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "%s \\"usage\\": {\\"prompt_tokens\\": 1}"},
                      "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 1200, "completion_tokens": 800, "total_tokens": 2000,
                   "prompt_tokens_details": {"cached_tokens": 1024},
                   "completion_tokens_details": {"reasoning_tokens": 512}}}
        """.formatted("lorem ipsum ".repeat(600));
    List<byte[]> chunks = pieces(body, 1000);
    var decoder = new PassthroughBodyDecoder(UsageTail.OPENAI);

    List<byte[]> out = relay(decoder, chunks);

    assertThat(out).containsExactlyElementsOf(chunks);
    assertThat(decoder.usage()).isEqualTo(new TokenUsage(1200, 800, 2000, 1024, 512));
    assertThat(decoder.events()).isFalse();
  }

  @Test
  void readsAnthropicUsageWithCacheTokensAsInput() {
    String body = """
        {"id": "msg_1", "type": "message", "role": "assistant", "content": [{"type": "text", "text": "Hi"}],
         "stop_reason": "end_turn",
         "usage": {"input_tokens": 50, "cache_creation_input_tokens": 1000, "cache_read_input_tokens": 2000,
                   "output_tokens": 30, "service_tier": "standard"}}
        """;
    var decoder = new PassthroughBodyDecoder(p -> AnthropicUsage.from(dev.aigis.core.json.Json.MAPPER.readTree(p)));

    relay(decoder, pieces(body, 7));

    assertThat(decoder.usage()).isEqualTo(new TokenUsage(3050, 30, 3080, 2000, 0, 1000));
  }

  @Test
  void aBodyWithoutUsageHasNone() {
    var openAi = new PassthroughBodyDecoder(UsageTail.OPENAI);
    var models = new PassthroughBodyDecoder(null);

    relay(openAi, List.of(bytes("{\"object\":\"list\",\"data\":[]}")));
    List<byte[]> out = relay(models, List.of(bytes("{\"object\":\"list\",\"data\":[]}")));

    assertThat(openAi.usage()).isNull();
    assertThat(models.usage()).isNull();
    assertThat(out).hasSize(1);
  }
}
