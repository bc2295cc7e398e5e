package dev.aigis.core.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.provider.TranslationException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;

/** The event-stream framing under the Bedrock stream: CRCs, split frames, length limits. */
class BedrockEventStreamDecoderTest {

  private static final byte[] TWO_FRAMES = EventStreamFixtures.encode(List.of(
      "event messageStart {\"role\":\"assistant\"}",
      "event contentBlockDelta {\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"));

  @Test
  void decodesFramesFedOneByteAtATime() throws Exception {
    var decoder = new EventStreamDecoder();
    List<Message> messages = new ArrayList<>();
    for (byte b : TWO_FRAMES) {
      messages.addAll(decoder.feed(new byte[] {b}));
    }
    assertThat(messages).hasSize(2);
    assertThat(messages.get(1).getHeaders().get(":event-type").getString()).isEqualTo("contentBlockDelta");
    assertThat(decoder.partial()).isFalse();
  }

  @Test
  void splitInsideTheHeadersWaitsForTheRest() throws Exception {
    var decoder = new EventStreamDecoder();
    int firstLength = ByteBuffer.wrap(TWO_FRAMES).getInt();
    // prelude (12 bytes) plus part of the headers of the first frame
    assertThat(decoder.feed(Arrays.copyOfRange(TWO_FRAMES, 0, 20))).isEmpty();
    assertThat(decoder.partial()).isTrue();
    assertThat(decoder.feed(Arrays.copyOfRange(TWO_FRAMES, 20, firstLength + 3))).hasSize(1);
    assertThat(decoder.feed(Arrays.copyOfRange(TWO_FRAMES, firstLength + 3, TWO_FRAMES.length))).hasSize(1);
  }

  @Test
  void messageCrcMismatchIsAFramingError() {
    byte[] corrupt = TWO_FRAMES.clone();
    corrupt[20] ^= 0x01; // a header byte: the message CRC no longer matches
    assertThatThrownBy(() -> new EventStreamDecoder().feed(corrupt))
        .isInstanceOf(EventStreamDecoder.FramingException.class);
  }

  @Test
  void preludeCrcMismatchIsAFramingError() {
    byte[] corrupt = TWO_FRAMES.clone();
    corrupt[9] ^= 0x40; // the prelude CRC
    assertThatThrownBy(() -> new EventStreamDecoder().feed(corrupt))
        .isInstanceOf(EventStreamDecoder.FramingException.class);
  }

  @Test
  void oversizedLengthFailsBeforeBuffering() {
    byte[] prelude = ByteBuffer.allocate(4).putInt(64 << 20).array();
    assertThatThrownBy(() -> new EventStreamDecoder().feed(prelude))
        .isInstanceOf(EventStreamDecoder.FramingException.class).hasMessageContaining("out of range");
  }

  /**
   * Found by UpstreamAnswerFuzzTest (bedrockStream corpus, checksum-then-bad-length.bin): in one
   * chunk, the second frame's impossible length was reported before the first frame's bad checksum,
   * so the error depended on how the stream was cut. The first problem in the stream is reported.
   */
  @Test
  void theFirstProblemIsReportedWhateverTheCut() throws Exception {
    byte[] stream = TWO_FRAMES.clone();
    int second = ByteBuffer.wrap(stream).getInt();
    stream[20] ^= 0x01; // the first frame's message CRC no longer matches
    ByteBuffer.wrap(stream).putInt(second, 64 << 20); // the second frame claims 64 MiB
    assertThatThrownBy(() -> new EventStreamDecoder().feed(stream))
        .isInstanceOf(EventStreamDecoder.FramingException.class).hasMessageContaining("checksum");
    var bytewise = new EventStreamDecoder();
    assertThatThrownBy(() -> {
      for (byte b : stream) {
        bytewise.feed(new byte[] {b});
      }
    }).isInstanceOf(EventStreamDecoder.FramingException.class).hasMessageContaining("checksum");
  }

  /**
   * Found by UpstreamAnswerFuzzTest (bedrockStream corpus, exception-then-bad-length.bin): an
   * exception message followed, in the same chunk, by a frame of impossible length was reported as
   * the framing error, losing the provider's own error; cut elsewhere, the provider's error won.
   */
  @Test
  void messagesBeforeAFramingProblemAreTranslatedFirstWhateverTheCut() throws Exception {
    byte[] exception = EventStreamFixtures.encode(List.of(
        "event messageStart {\"role\":\"assistant\"}",
        "exception modelStreamErrorException {\"message\":\"Model produced invalid sequence\"}"));
    byte[] stream = Arrays.copyOf(exception, exception.length + 4);
    ByteBuffer.wrap(stream).putInt(exception.length, 64 << 20); // then a frame that claims 64 MiB
    for (int piece : new int[] {stream.length, 1}) {
      var translator = BedrockConverseGoldenTest.started(true);
      assertThatThrownBy(() -> {
        for (int from = 0; from < stream.length; from += piece) {
          translator.streamBytes(Arrays.copyOfRange(stream, from, Math.min(stream.length, from + piece)), c -> { });
        }
      }).isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error())
          .isInstanceOf(GatewayError.ProviderError.class).extracting(GatewayError::message)
          .isEqualTo("Model produced invalid sequence"));
    }
  }

  @Test
  void translatorReportsCorruptionAsAnUpstreamProtocolErrorAndStaysFailed() throws Exception {
    var translator = BedrockConverseGoldenTest.started(true);
    byte[] corrupt = TWO_FRAMES.clone();
    corrupt[corrupt.length - 1] ^= 0x01;
    assertThatThrownBy(() -> translator.streamBytes(corrupt, c -> { }))
        .isInstanceOfSatisfying(TranslationException.class,
            e -> assertThat(e.error()).isInstanceOf(GatewayError.UpstreamProtocolError.class));
    assertThatThrownBy(() -> translator.streamEnd(c -> { })).isInstanceOf(TranslationException.class);
  }

  @Test
  void streamCutMidFrameAfterMessageStopIsTruncated() throws Exception {
    byte[] whole = EventStreamFixtures.encode(List.of(
        "event messageStart {\"role\":\"assistant\"}",
        "event messageStop {\"stopReason\":\"end_turn\"}",
        "event metadata {\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2}}"));
    var translator = BedrockConverseGoldenTest.started(true);
    List<Object> chunks = new ArrayList<>();
    translator.streamBytes(Arrays.copyOf(whole, whole.length - 5), chunks::add);
    assertThat(chunks).hasSize(2); // role, finish
    assertThatThrownBy(() -> translator.streamEnd(chunks::add)).isInstanceOf(TranslationException.class);
  }
}
