package dev.aigis.core.api.text;

import static dev.aigis.core.api.text.TextTesting.bytes;
import static dev.aigis.core.api.text.TextTesting.string;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SseFrameTest {

  @Test
  void oneDataLineIsReadInPlace() {
    byte[] raw = bytes("event: x\nid: 3\n: note\ndata: {\"a\":1}\n\n");

    SseFrame frame = SseFrame.parse(raw);

    assertThat(frame.eventName()).isEqualTo("x");
    assertThat(frame.data()).isSameAs(raw);
    assertThat(string(Arrays.copyOfRange(raw, frame.dataOffset(), frame.dataOffset() + frame.dataLength())))
        .isEqualTo("{\"a\":1}");
  }

  @Test
  void lineEndsMayBeCrAloneAndTheValueSpaceIsOptional() {
    SseFrame frame = SseFrame.parse(bytes("event:y\rdata:{}\r\r"));

    assertThat(frame.eventName()).isEqualTo("y");
    assertThat(frame.dataLength()).isEqualTo(2);
  }

  @Test
  void severalDataLinesAreJoinedWithNewlinesAndMapBackToTheirLines() {
    byte[] raw = bytes("data: ab\r\ndata: cd\r\n\r\n");

    SseFrame frame = SseFrame.parse(raw);

    assertThat(string(frame.data())).isEqualTo("ab\ncd");
    assertThat(frame.rawPosition(0)).isEqualTo(6);
    assertThat(frame.rawPosition(2)).isEqualTo(8);
    assertThat(frame.rawPosition(3)).isEqualTo(16);
    assertThat(frame.rawPosition(5)).isEqualTo(18);
  }

  @Test
  void aBlockWithoutDataLinesHasNoDataAndDoneIsRecognised() {
    assertThat(SseFrame.parse(bytes(": keep-alive\n\n")).hasData()).isFalse();
    assertThat(SseFrame.parse(bytes("data: [DONE]\n\n")).isDone()).isTrue();
    assertThat(SseFrame.parse(bytes("data: [DONE]x\n\n")).isDone()).isFalse();
    assertThat(SseFrame.parse(bytes("data\n\n")).dataLength()).isZero();
  }

  @Test
  void aSecondEventInTheSameBytesIsRefusedButALastEventWithoutItsBlankLineIsRead() {
    assertThat(SseFrame.parse(bytes("data: 1\n\ndata: 2\n\n"))).isNull();
    assertThat(SseFrame.parse(bytes("data: 1\n\n: comment\n\n"))).isNull();
    assertThat(SseFrame.parse(bytes("data: 1")).dataLength()).isEqualTo(1);
    assertThat(SseFrame.parse(bytes("\ndata: 1\r\n\r")).dataLength()).isEqualTo(1);
  }
}
