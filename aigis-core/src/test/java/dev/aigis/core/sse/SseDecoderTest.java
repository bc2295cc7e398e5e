package dev.aigis.core.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseDecoderTest {

  private static final String STREAM = """
      data: {"a":1}

      : keep-alive

      event: message_start
      data: {"b":
      data: 2}
      id: 7

      data: [DONE]

      """;

  @Test
  void decodesDataEventNamesIdsCommentsAndMultiLineData() {
    List<SseEvent> events = decode(STREAM.getBytes(StandardCharsets.UTF_8), new int[0]);

    assertThat(events).extracting(SseEvent::data).containsExactly("{\"a\":1}", null, "{\"b\":\n2}", "[DONE]");
    assertThat(events.get(2).event()).isEqualTo("message_start");
    assertThat(events.get(2).id()).isEqualTo("7");
    assertThat(events.get(3).isDone()).isTrue();
    assertThat(new String(events.get(1).raw(), StandardCharsets.UTF_8)).isEqualTo(": keep-alive\n\n");
  }

  @Test
  void rawBytesOfAllEventsReassembleTheStream() {
    byte[] stream = STREAM.getBytes(StandardCharsets.UTF_8);
    var joined = new StringBuilder();
    decode(stream, new int[0]).forEach(e -> joined.append(new String(e.raw(), StandardCharsets.UTF_8)));
    assertThat(joined.toString()).isEqualTo(STREAM);
  }

  @Test
  void sameEventsWhateverTheChunkBoundaries() {
    byte[] stream = (STREAM + "data: {\"emoji\":\"héllo ✓\"}\r\n\r\ndata: x\rdata: y\r\r").getBytes(StandardCharsets.UTF_8);
    List<SseEvent> whole = decode(stream, new int[0]);
    var random = new Random(42);
    for (int round = 0; round < 500; round++) {
      int cuts = 1 + random.nextInt(12);
      int[] positions = random.ints(cuts, 1, stream.length).sorted().distinct().toArray();
      assertThat(decode(stream, positions)).extracting(SseEvent::data)
          .containsExactlyElementsOf(whole.stream().map(SseEvent::data).toList());
    }
    assertThat(whole.getLast().data()).isEqualTo("x\ny");
    assertThat(whole.get(whole.size() - 2).data()).isEqualTo("{\"emoji\":\"héllo ✓\"}");
  }

  @Test
  void crlfSplitBetweenChunksEndsOneLineOnly() {
    List<SseEvent> events = decode("data: a\r\n\r\n".getBytes(StandardCharsets.UTF_8), new int[] {8, 9, 10});
    assertThat(events).extracting(SseEvent::data).containsExactly("a");
  }

  @Test
  void keepsOnlyTheUnfinishedEvent() {
    var events = new ArrayList<SseEvent>();
    var decoder = new SseDecoder(events::add, 1024);
    decoder.feed("data: done\n\ndata: partial".getBytes(StandardCharsets.UTF_8));
    assertThat(events).hasSize(1);
    assertThat(decoder.pendingBytes()).isEqualTo("data: partial".length());
  }

  @Test
  void refusesAnEventLargerThanTheLimit() {
    var decoder = new SseDecoder(e -> { }, 64);
    assertThatThrownBy(() -> decoder.feed(("data: " + "x".repeat(100)).getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SseException.class)
        .hasMessage("SSE event larger than 64 bytes");
  }

  @Test
  void encoderSplitsMultiLineData() {
    assertThat(new String(SseEncoder.event("ping", "a\nb"), StandardCharsets.UTF_8)).isEqualTo("event: ping\ndata: a\ndata: b\n\n");
  }

  private static List<SseEvent> decode(byte[] stream, int[] cuts) {
    var events = new ArrayList<SseEvent>();
    var decoder = new SseDecoder(events::add, 1 << 20);
    int start = 0;
    for (int cut : cuts) {
      decoder.feed(stream, start, cut - start);
      start = cut;
    }
    decoder.feed(stream, start, stream.length - start);
    return events;
  }
}
