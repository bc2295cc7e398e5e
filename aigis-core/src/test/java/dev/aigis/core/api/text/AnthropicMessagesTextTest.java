package dev.aigis.core.api.text;

import static dev.aigis.core.api.text.TextTesting.bytes;
import static dev.aigis.core.api.text.TextTesting.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.api.ApiEndpoint;
import org.junit.jupiter.api.Test;

class AnthropicMessagesTextTest {

  private static final ResponseText ANTHROPIC = ResponseText.of(ApiEndpoint.ANTHROPIC_MESSAGES);

  @Test
  void rewritesATextDeltaKeepingTheEventLineAndCrlf() {
    String event = "event: content_block_delta\r\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" thé re ✓\"}}\r\n\r\n";

    assertThat(ANTHROPIC.deltaText(bytes(event))).isEqualTo(" thé re ✓");
    assertThat(string(ANTHROPIC.withDeltaText(bytes(event), " [NAME] 🚀"))).isEqualTo("event: content_block_delta\r\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" [NAME] 🚀\"}}\r\n\r\n");
  }

  @Test
  void eventsThatAddNoTextAreTheSameArray() {
    for (String event : new String[] {
        "event: ping\ndata: {\"type\":\"ping\"}\n\n",
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me think\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Par\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQB\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"}) {
      byte[] in = bytes(event);
      assertThat(ANTHROPIC.kind(in)).as(event).isEqualTo(EventKind.NONE);
      assertThat(ANTHROPIC.deltaText(in)).as(event).isNull();
      assertThat(ANTHROPIC.withDeltaText(in, "x")).as(event).isSameAs(in);
    }
  }

  @Test
  void theTypeIsFoundWhereverItStandsAndFromTheEventLineWhenTheJsonHasNone() {
    String typeLast = "event: content_block_delta\ndata: {\"index\":0,\"delta\":{\"text\":\"a\",\"type\":\"text_delta\"},\"type\":\"content_block_delta\"}\n\n";
    String noType = "event: content_block_delta\ndata: {\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"b\"}}\n\n";

    assertThat(ANTHROPIC.deltaText(bytes(typeLast))).isEqualTo("a");
    assertThat(string(ANTHROPIC.withDeltaText(bytes(typeLast), "A"))).isEqualTo(
        "event: content_block_delta\ndata: {\"index\":0,\"delta\":{\"text\":\"A\",\"type\":\"text_delta\"},\"type\":\"content_block_delta\"}\n\n");
    assertThat(ANTHROPIC.deltaText(bytes(noType))).isEqualTo("b");
  }

  @Test
  void brokenJsonIsUnreadable() {
    byte[] in = bytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_\n\n");

    assertThat(ANTHROPIC.kind(in)).isEqualTo(EventKind.UNREADABLE);
    assertThat(ANTHROPIC.withDeltaText(in, "x")).isSameAs(in);
  }

  @Test
  void anthropicStreamsHaveNoWholeTextEvents() {
    byte[] in = bytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}\n\n");

    assertThat(ANTHROPIC.carriesWholeText(in)).isFalse();
    assertThat(ANTHROPIC.rewriteWholeTexts(in, String::toUpperCase)).isSameAs(in);
  }

  @Test
  void aSecondTypeThatAClientMightBelieveMakesTheEventUnreadable() {
    byte[] in = bytes("event: ping\ndata: {\"type\":\"ping\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"secret\"},"
        + "\"type\":\"content_block_delta\"}\n\n");

    assertThat(ANTHROPIC.kind(in)).isEqualTo(EventKind.UNREADABLE);
    assertThat(ANTHROPIC.withDeltaText(in, "x")).isSameAs(in);
  }
}
