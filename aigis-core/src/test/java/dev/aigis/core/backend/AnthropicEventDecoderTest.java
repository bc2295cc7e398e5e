package dev.aigis.core.backend;

import static dev.aigis.core.backend.Backends.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A native Anthropic stream passes event by event, whatever the network cuts, while its usage is read. */
class AnthropicEventDecoderTest {

  private static final String FIXTURE = "/fixtures/anthropic/messages-native/stream-cache-usage/response.in.sse";
  /** message_start: 50 uncached + 1000 cache writes + 2000 cache reads; message_delta: 87 output, cumulative. */
  private static final TokenUsage FIXTURE_USAGE = new TokenUsage(3050, 87, 3137, 2000, 0, 1000);

  private static byte[] fixture() throws IOException {
    try (InputStream in = AnthropicEventDecoderTest.class.getResourceAsStream(FIXTURE)) {
      return in.readAllBytes();
    }
  }

  /** The stream's events, each with its terminating blank line. */
  private static List<String> events(byte[] stream) {
    List<String> events = new ArrayList<>();
    for (String event : new String(stream, StandardCharsets.UTF_8).split("(?<=\n\n)")) {
      events.add(event);
    }
    return events;
  }

  /** 1 to 20 cuts at random byte offsets, so pieces end inside lines and inside UTF-8 sequences. */
  private static List<byte[]> cut(byte[] bytes, Random random) {
    int[] cuts = random.ints(1 + random.nextInt(20), 0, bytes.length + 1).sorted().toArray();
    List<byte[]> pieces = new ArrayList<>();
    int from = 0;
    for (int at : cuts) {
      pieces.add(Arrays.copyOfRange(bytes, from, at));
      from = at;
    }
    pieces.add(Arrays.copyOfRange(bytes, from, bytes.length));
    return pieces;
  }

  private static Backends.Collected decode(AnthropicEventDecoder decoder, List<byte[]> pieces) throws Exception {
    var out = new Backends.Collected();
    for (byte[] piece : pieces) {
      decoder.bytes(piece, out);
    }
    decoder.end(out);
    return out;
  }

  @Test
  void eventsPassWholeAndUnchangedWhateverTheByteCuts() throws Exception {
    byte[] stream = fixture();
    List<String> expected = events(stream);
    var random = new Random(20250101L);

    for (int round = 0; round < 200; round++) {
      List<byte[]> pieces = cut(stream, random);
      var decoder = new AnthropicEventDecoder(Backends.NAME);

      Backends.Collected out = decode(decoder, pieces);

      assertThat(out.emitted).as("round %d, %d pieces", round, pieces.size()).isEqualTo(expected);
      assertThat(decoder.usage()).as("round %d", round).isEqualTo(FIXTURE_USAGE);
    }
  }

  @Test
  void oneByteAtATime() throws Exception {
    byte[] stream = fixture();
    List<byte[]> pieces = new ArrayList<>();
    for (byte b : stream) {
      pieces.add(new byte[] {b});
    }
    var decoder = new AnthropicEventDecoder(Backends.NAME);

    Backends.Collected out = decode(decoder, pieces);

    assertThat(out.emitted).isEqualTo(events(stream));
    assertThat(out.pivots).as("a native stream has no pivot").containsOnlyNulls();
    assertThat(decoder.usage()).isEqualTo(FIXTURE_USAGE);
  }

  @Test
  void aMessageDeltaWithInputCountsReplacesThoseOfMessageStart() throws Exception {
    var decoder = new AnthropicEventDecoder(Backends.NAME);

    decode(decoder, List.of(bytes("""
        event: message_start
        data: {"type":"message_start","message":{"usage":{"input_tokens":10,"cache_read_input_tokens":5,"output_tokens":1}}}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":12,"cache_creation_input_tokens":3,"cache_read_input_tokens":5,"output_tokens":40}}

        event: message_stop
        data: {"type":"message_stop"}

        """)));

    assertThat(decoder.usage()).isEqualTo(new TokenUsage(20, 40, 60, 5, 0, 3));
  }

  @Test
  void usageIsUnknownUntilAUsageEventArrives() throws Exception {
    var decoder = new AnthropicEventDecoder(Backends.NAME);

    Backends.Collected out = decode(decoder, List.of(bytes("""
        event: ping
        data: {"type": "ping"}

        event: message_start
        data: {not json

        event: message_stop
        data: {"type":"message_stop"}

        """)));

    assertThat(out.emitted).as("a malformed event passes as received").hasSize(3);
    assertThat(decoder.usage()).isNull();
    assertThat(decoder.events()).isTrue();
    assertThat(decoder.contentType()).isNull();
  }

  @Test
  void aStreamThatEndsWithoutMessageStopIsBroken() throws Exception {
    var decoder = new AnthropicEventDecoder(Backends.NAME);
    decoder.bytes(bytes("event: ping\ndata: {\"type\": \"ping\"}\n\n"), (b, p) -> { });

    assertThatThrownBy(() -> decoder.end((b, p) -> { }))
        .isInstanceOf(dev.aigis.core.provider.TranslationException.class)
        .extracting(e -> ((dev.aigis.core.provider.TranslationException) e).error())
        .isEqualTo(new dev.aigis.core.api.GatewayError.UpstreamProtocolError(Backends.NAME, "stream ended before message_stop"));
  }

  /**
   * Found by UpstreamAnswerFuzzTest (anthropicStream corpus, data-null-event.sse): an event whose
   * data reads as JSON {@code null} threw a NullPointerException out of the pivot translation.
   * The event passes as received, without a pivot.
   */
  @Test
  void anEventWhoseDataIsNullPassesWithoutAPivot() throws Exception {
    var decoder = new AnthropicEventDecoder("anthropic").withPivots();
    var out = new Backends.Collected();

    decoder.bytes(bytes("event: ping\ndata:null}\n\n"), out);

    assertThat(out.emitted).containsExactly("event: ping\ndata:null}\n\n");
    assertThat(out.pivots).containsExactly((com.fasterxml.jackson.databind.node.ObjectNode) null);
  }
}
