package dev.aigis.core.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigis.core.fuzz.Cuts;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the SSE decoder (upstream bytes, hostile as any client's). Corpus:
 * {@code SseDecoderFuzzTestInputs/decode}, real provider streams and what fuzzing kept.
 */
class SseDecoderFuzzTest {

  /** Small, so the fuzzer reaches the limit; the gateway's is 1 MiB. */
  private static final int MAX_EVENT_BYTES = 1024;

  /** An event in comparable form: {@code raw} as one char per byte. */
  private record Event(String event, String data, String id, String raw) {}

  /** What feeding a stream produced: its events, the bytes still held, and whether the limit stopped it. */
  private record Decoded(List<Event> events, int pending, boolean overLimit) {}

  /**
   * However the stream is cut, the same events; without an oversized event, their raw bytes and the
   * held tail are the stream, and their fields are what a plain reading of the whole text gives.
   */
  @FuzzTest
  void decode(byte[] stream) {
    Decoded whole = decode(List.of(stream));

    assertThat(decode(Cuts.bytewise(stream))).isEqualTo(whole);
    assertThat(decode(Cuts.random(stream, 64))).isEqualTo(whole);
    assertThat(whole.events()).allSatisfy(e -> assertThat(e.raw().length()).isLessThanOrEqualTo(MAX_EVENT_BYTES));
    if (!whole.overLimit()) {
      var raws = new ByteArrayOutputStream();
      whole.events().forEach(e -> raws.writeBytes(e.raw().getBytes(StandardCharsets.ISO_8859_1)));
      assertThat(raws.toByteArray()).isEqualTo(Arrays.copyOf(stream, stream.length - whole.pending()));
      assertThat(whole.events()).extracting(e -> Arrays.asList(e.event(), e.data(), e.id()))
          .containsExactlyElementsOf(SseReference.read(stream));
    }
  }

  private static Decoded decode(List<byte[]> chunks) {
    List<Event> events = new ArrayList<>();
    var decoder = new SseDecoder(e -> events.add(new Event(e.event(), e.data(), e.id(),
        new String(e.raw(), StandardCharsets.ISO_8859_1))), MAX_EVENT_BYTES);
    try {
      chunks.forEach(decoder::feed);
    } catch (SseException e) {
      return new Decoded(events, -1, true);
    }
    return new Decoded(events, decoder.pendingBytes(), false);
  }
}
