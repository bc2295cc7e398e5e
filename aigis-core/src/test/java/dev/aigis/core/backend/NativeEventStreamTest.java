package dev.aigis.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The passthrough rule as the Gemini decoder (no terminal event, CRLF framing as Google sends it) meets it. */
class NativeEventStreamTest {

  private static final String EVENT = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"}]}}]}\r\n\r\n";

  @Test
  void aCrlfFramedStreamPassesWholeWithItsLastLineFeedAndNoViolation() throws Exception {
    var decoder = new GeminiEventDecoder(Backends.NAME);
    var out = new Backends.Collected();

    decoder.bytes((EVENT + EVENT).getBytes(StandardCharsets.UTF_8), out);
    decoder.end(out);

    assertThat(out.joined()).isEqualTo(EVENT + EVENT);
    assertThat(decoder.violation()).isNull();
  }

  @Test
  void anEventThatDoesNotParsePassesOnWithTheRestAndIsRecorded() throws Exception {
    var decoder = new GeminiEventDecoder(Backends.NAME);
    var out = new Backends.Collected();
    String broken = "data: {\"candidates\":[\r\n\r\n";

    decoder.bytes((EVENT + broken + EVENT).getBytes(StandardCharsets.UTF_8), out);
    decoder.bytes("trailing text".getBytes(StandardCharsets.UTF_8), out);
    decoder.end(out);

    assertThat(out.joined()).isEqualTo(EVENT + broken + EVENT + "trailing text");
    assertThat(decoder.violation()).isEqualTo("malformed stream event");
  }
}
