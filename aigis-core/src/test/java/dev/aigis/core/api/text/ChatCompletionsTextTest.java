package dev.aigis.core.api.text;

import static dev.aigis.core.api.text.TextTesting.bytes;
import static dev.aigis.core.api.text.TextTesting.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.api.ApiEndpoint;
import org.junit.jupiter.api.Test;

class ChatCompletionsTextTest {

  private static final ResponseText CHAT = ResponseText.of(ApiEndpoint.CHAT_COMPLETIONS);

  private static final String HELLO = """
      data: {"id":"chatcmpl-AbC123","object":"chat.completion.chunk","created":1735689600,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0aa8d3e20b","choices":[{"index":0,"delta":{"content":"Mail me at ann@example.com"},"logprobs":null,"finish_reason":null}],"usage":null}

      """;

  @Test
  void readsTheContentDeltaOfTheFirstChoice() {
    assertThat(CHAT.kind(bytes(HELLO))).isEqualTo(EventKind.DELTA);
    assertThat(CHAT.deltaText(bytes(HELLO))).isEqualTo("Mail me at ann@example.com");
  }

  @Test
  void rewritesOnlyTheContentStringKeepingEveryOtherByte() {
    byte[] out = CHAT.withDeltaText(bytes(HELLO), "Mail me at [EMAIL]");

    assertThat(string(out)).isEqualTo("""
        data: {"id":"chatcmpl-AbC123","object":"chat.completion.chunk","created":1735689600,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0aa8d3e20b","choices":[{"index":0,"delta":{"content":"Mail me at [EMAIL]"},"logprobs":null,"finish_reason":null}],"usage":null}

        """);
  }

  @Test
  void keepsCrlfFramingIdLinesCommentsAndOtherStringsEscapes() {
    String event = ": proxy note\r\nid: 7\r\ndata: {\"model\":\"gpt-\\u00f6\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\u00e9\"}}]}\r\n\r\n";

    byte[] out = CHAT.withDeltaText(bytes(event), "b");

    assertThat(string(out)).isEqualTo(
        ": proxy note\r\nid: 7\r\ndata: {\"model\":\"gpt-\\u00f6\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}]}\r\n\r\n");
    assertThat(CHAT.deltaText(bytes(event))).isEqualTo("aé");
  }

  @Test
  void anEventCutAsTheDecoderCutsCrlfStreamsKeepsItsLeadingLfAndTrailingCr() {
    // SseDecoder dispatches a CRLF block at the blank line's CR; its LF opens the next block.
    String event = "\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\r\n\r";

    assertThat(string(CHAT.withDeltaText(bytes(event), "yy")))
        .isEqualTo("\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"yy\"}}]}\r\n\r");
  }

  @Test
  void escapesQuotesBackslashesNewlinesAndControlCharactersInTheNewText() {
    byte[] out = CHAT.withDeltaText(bytes(HELLO), "say \"hi\"\\\n\tbye\u0001 ✓ 👋");

    assertThat(string(out)).contains("\"content\":\"say \\\"hi\\\"\\\\\\n\\tbye\\u0001 ✓ 👋\"");
    assertThat(CHAT.deltaText(out)).isEqualTo("say \"hi\"\\\n\tbye\u0001 ✓ 👋");
  }

  @Test
  void aLoneSurrogateIsWrittenAsAnEscapeSoTheClientCanJoinItWithTheNextDelta() {
    String wave = "👋";
    byte[] first = CHAT.withDeltaText(bytes(HELLO), "a" + wave.charAt(0));

    assertThat(string(first)).contains("\"content\":\"a\\uD83D\"");
    assertThat(CHAT.deltaText(first)).isEqualTo("a" + wave.charAt(0));
  }

  @Test
  void roleChunkHasAnEmptyTextSlotThatReadsAsNoTextAndCanReceiveText() {
    String role = """
        data: {"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"finish_reason":null}]}

        """;

    assertThat(CHAT.kind(bytes(role))).isEqualTo(EventKind.DELTA);
    assertThat(CHAT.deltaText(bytes(role))).isNull();
    byte[] same = bytes(role);
    assertThat(CHAT.withDeltaText(same, "")).isSameAs(same);
    assertThat(string(CHAT.withDeltaText(bytes(role), "held")))
        .contains("\"delta\":{\"role\":\"assistant\",\"content\":\"held\",\"refusal\":null}");
  }

  @Test
  void eventsWithoutTextAreReturnedAsTheSameArray() {
    for (String event : new String[] {
        "data: [DONE]\n\n",
        ": keep-alive\n\n",
        "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}\n\n",
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"q\\\":\"}}]}}]}\n\n",
        "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n"}) {
      byte[] in = bytes(event);
      assertThat(CHAT.kind(in)).as(event).isEqualTo(EventKind.NONE);
      assertThat(CHAT.deltaText(in)).as(event).isNull();
      assertThat(CHAT.withDeltaText(in, "x")).as(event).isSameAs(in);
      assertThat(CHAT.rewriteWholeTexts(in, String::toUpperCase)).as(event).isSameAs(in);
    }
  }

  @Test
  void writingTheTextAnEventAlreadyHoldsReturnsTheSameArray() {
    byte[] in = bytes(HELLO);

    assertThat(CHAT.withDeltaText(in, CHAT.deltaText(in))).isSameAs(in);
  }

  @Test
  void onlyTheChoiceWithIndexZeroIsTheTextStream() {
    String second = "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}}]}\n\n";
    String both = "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}},{\"index\":0,\"delta\":{\"content\":\"mine\"}}]}\n\n";

    assertThat(CHAT.kind(bytes(second))).isEqualTo(EventKind.NONE);
    assertThat(CHAT.deltaText(bytes(both))).isEqualTo("mine");
    assertThat(string(CHAT.withDeltaText(bytes(both), "MINE"))).isEqualTo(
        "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}},{\"index\":0,\"delta\":{\"content\":\"MINE\"}}]}\n\n");
  }

  @Test
  void aRefusalDeltaIsTextAndStaysARefusal() {
    String refusal = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"refusal\":\"I can't help with that.\"}}]}\n\n";

    assertThat(CHAT.deltaText(bytes(refusal))).isEqualTo("I can't help with that.");
    assertThat(string(CHAT.withDeltaText(bytes(refusal), "No."))).isEqualTo(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"refusal\":\"No.\"}}]}\n\n");
  }

  @Test
  void dataSplitOverSeveralLinesKeepsItsLines() {
    String event = "data: {\"choices\":[{\"index\":0,\n"
        + "data: \"delta\":{\"content\":\"one\"}}],\n"
        + "data: \"model\":\"m\"}\n\n";

    assertThat(CHAT.deltaText(bytes(event))).isEqualTo("one");
    assertThat(string(CHAT.withDeltaText(bytes(event), "three"))).isEqualTo("data: {\"choices\":[{\"index\":0,\n"
        + "data: \"delta\":{\"content\":\"three\"}}],\n"
        + "data: \"model\":\"m\"}\n\n");
  }

  @Test
  void unreadableEventsPassUnchangedAndSaySo() {
    for (String event : new String[] {
        "data: {\"id\":\"x\",\"choices\":[{\"delta\":\n\n",
        "data: not json\n\n",
        "data: 42\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"secret\",\"content\":\"clean\"}}]}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"choices\":[]}\n\n"}) {
      byte[] in = bytes(event);
      assertThat(CHAT.kind(in)).as(event).isEqualTo(EventKind.UNREADABLE);
      assertThat(CHAT.deltaText(in)).isNull();
      assertThat(CHAT.withDeltaText(in, "x")).isSameAs(in);
    }
  }

  @Test
  void anEventReadOnceCanBeHeldAndRewrittenLater() {
    byte[] raw = bytes(HELLO);
    TextEvent event = CHAT.event(raw);

    assertThat(event.kind()).isEqualTo(EventKind.DELTA);
    assertThat(event.deltaText()).isEqualTo("Mail me at ann@example.com");
    assertThat(event.raw()).isSameAs(raw);
    assertThat(event.withDeltaText("")).isEqualTo(bytes(HELLO.replace("Mail me at ann@example.com", "")));
    assertThat(event.wholeTexts()).isEmpty();
  }
}
