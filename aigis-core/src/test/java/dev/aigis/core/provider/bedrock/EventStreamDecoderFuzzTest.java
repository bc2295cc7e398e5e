package dev.aigis.core.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigis.core.fuzz.Cuts;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import software.amazon.eventstream.Message;

/**
 * Coverage-guided fuzzing of the AWS event-stream framing under Bedrock's ConverseStream. Corpus:
 * {@code EventStreamDecoderFuzzTestInputs/decode}, the golden streams' frames and what fuzzing kept.
 */
class EventStreamDecoderFuzzTest {

  /** What feeding a stream produced: each message's payload (hex), whether it then failed, whether a message is unfinished. */
  private record Decoded(List<String> payloads, boolean failed, boolean partial) {}

  /** A complete frame as its prelude declares it: where it starts, its total and headers lengths. */
  private record Frame(int start, int total, int headers) {}

  /**
   * However the stream is cut, the same messages, then the same refusal if any (only ever a
   * FramingException); when accepted, the messages are exactly the complete frames the preludes
   * declare, each payload where its frame puts it, and nothing larger than the cap.
   */
  @FuzzTest
  void decode(byte[] stream) {
    Decoded whole = decode(List.of(stream));

    assertThat(decode(Cuts.bytewise(stream))).isEqualTo(whole);
    assertThat(decode(Cuts.random(stream, 64))).isEqualTo(whole);
    if (whole.failed()) {
      return;
    }
    List<Frame> frames = frames(stream);
    assertThat(whole.payloads()).containsExactlyElementsOf(frames.stream()
        .map(f -> HexFormat.of().formatHex(stream, f.start() + 12 + f.headers(), f.start() + f.total() - 4)).toList());
    int consumed = frames.isEmpty() ? 0 : frames.getLast().start() + frames.getLast().total();
    assertThat(whole.partial()).isEqualTo(consumed < stream.length);
    assertThat(frames).allSatisfy(f -> assertThat(f.total()).isBetween(16, EventStreamDecoder.MAX_MESSAGE_BYTES));
  }

  private static Decoded decode(List<byte[]> chunks) {
    var decoder = new EventStreamDecoder();
    List<String> payloads = new ArrayList<>();
    try {
      for (byte[] chunk : chunks) {
        for (Message message : decoder.feed(chunk)) {
          payloads.add(HexFormat.of().formatHex(message.getPayload()));
        }
      }
    } catch (EventStreamDecoder.FramingException e) {
      e.before().forEach(message -> payloads.add(HexFormat.of().formatHex(message.getPayload())));
      return new Decoded(payloads, true, false);
    }
    return new Decoded(payloads, false, decoder.partial());
  }

  /** The complete frames, read from the preludes alone. */
  private static List<Frame> frames(byte[] stream) {
    List<Frame> frames = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(stream);
    for (int at = 0; at + 8 <= stream.length; ) {
      int total = in.getInt(at);
      if (total < 16 || at + total > stream.length) {
        break;
      }
      frames.add(new Frame(at, total, in.getInt(at + 4)));
      at += total;
    }
    return frames;
  }
}
