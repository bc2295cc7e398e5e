package dev.aigis.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A native Responses stream passes event by event, whatever the network cuts; usage comes from its
 * terminal event; a stream without one passes unchanged and is recorded as a violation.
 */
class ResponsesEventDecoderTest {

  private static final String TEXT = "/fixtures/openai-responses/chat/stream-text/response.in.sse";
  private static final String CUT = "/fixtures/openai-responses/chat/stream-truncated/response.in.sse";
  private static final String FAILED = "/fixtures/openai-responses/chat/stream-failed/response.in.sse";

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = ResponsesEventDecoderTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

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

  @Test
  void eventsPassAsReceivedWhateverTheCutsAndUsageComesFromResponseCompleted() throws Exception {
    byte[] stream = fixture(TEXT);
    List<String> expected = List.of(new String(stream, StandardCharsets.UTF_8).split("(?<=\n\n)"));
    var random = new Random(0x5E5);
    for (int round = 0; round < 50; round++) {
      var decoder = new ResponsesEventDecoder();
      var out = new Backends.Collected();
      for (byte[] piece : cut(stream, random)) {
        decoder.bytes(piece, out);
      }
      decoder.end(out);
      assertThat(out.emitted).isEqualTo(expected);
      assertThat(decoder.usage()).isEqualTo(new TokenUsage(37, 11, 48, 0, 0));
      assertThat(decoder.violation()).isNull();
    }
  }

  @Test
  void aStreamWithoutItsTerminalEventPassesUnchangedAndIsAViolation() throws Exception {
    byte[] stream = fixture(CUT);
    var decoder = new ResponsesEventDecoder();
    var out = new Backends.Collected();
    decoder.bytes(stream, out);
    decoder.end(out);

    assertThat(out.joined()).isEqualTo(new String(stream, StandardCharsets.UTF_8));
    assertThat(decoder.violation()).isEqualTo("stream ended before response.completed");
    assertThat(decoder.usage()).isNull();
  }

  @Test
  void responseFailedEndsTheStreamAndPassesToTheClient() throws Exception {
    var decoder = new ResponsesEventDecoder();
    var out = new Backends.Collected();
    decoder.bytes(fixture(FAILED), out);
    decoder.end(out);

    assertThat(out.joined()).contains("event: response.failed\n");
    assertThat(decoder.usage()).isNull();
    assertThat(decoder.violation()).isNull();
  }
}
