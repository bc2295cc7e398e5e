package dev.aigis.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamEndingTest {

  private static final String OPENAI_COMPLETE = """
      data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant"}}]}

      data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}]}

      data: [DONE]

      """;
  private static final String OPENAI_ERROR = """
      data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}]}

      data: {"error":{"message":"Upstream default/fake-openai sent an invalid response: connection lost mid-stream",\
      "type":"server_error","param":null,"code":"upstream_invalid_response"}}

      """;
  private static final String ANTHROPIC_COMPLETE = """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[]}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

      event: message_stop
      data: {"type":"message_stop"}

      """;
  private static final String ANTHROPIC_ERROR = """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[]}}

      event: error
      data: {"type":"error","error":{"type":"api_error","message":"connection lost mid-stream"}}

      """;

  @Test
  void aStreamUpToItsClosingEventIsComplete() {
    assertThat(StreamEnding.ofStream(ClientApi.OPENAI, OPENAI_COMPLETE, true)).isEqualTo(Ending.COMPLETE);
    assertThat(StreamEnding.ofStream(ClientApi.ANTHROPIC, ANTHROPIC_COMPLETE, true)).isEqualTo(Ending.COMPLETE);
  }

  @Test
  void anErrorEventWinsHoweverTheResponseEnded() {
    assertThat(StreamEnding.ofStream(ClientApi.OPENAI, OPENAI_ERROR, true)).isEqualTo(Ending.ERROR_EVENT);
    assertThat(StreamEnding.ofStream(ClientApi.OPENAI, OPENAI_ERROR, false)).isEqualTo(Ending.ERROR_EVENT);
    assertThat(StreamEnding.ofStream(ClientApi.ANTHROPIC, ANTHROPIC_ERROR, true)).isEqualTo(Ending.ERROR_EVENT);
  }

  @Test
  void aStreamWithoutItsClosingEventOrCutByTheTransportIsCut() {
    String withoutDone = OPENAI_COMPLETE.replace("data: [DONE]\n", "");
    assertThat(StreamEnding.ofStream(ClientApi.OPENAI, withoutDone, true)).isEqualTo(Ending.CUT);
    assertThat(StreamEnding.ofStream(ClientApi.OPENAI, OPENAI_COMPLETE, false)).isEqualTo(Ending.CUT);
    assertThat(StreamEnding.ofStream(ClientApi.ANTHROPIC, "", true)).isEqualTo(Ending.CUT);
  }

  @Test
  void theOtherApisMarkersDoNotCount() {
    assertThat(StreamEnding.ofStream(ClientApi.ANTHROPIC, OPENAI_COMPLETE, true)).isEqualTo(Ending.CUT);
    assertThat(StreamEnding.ofStream(ClientApi.OPENAI, ANTHROPIC_ERROR, true)).isEqualTo(Ending.CUT);
  }

  @Test
  void markersCountOnlyAtTheStartOfALine() {
    String quoted = "data: {\"choices\":[{\"delta\":{\"content\":\"say data: [DONE] and event: error\"}}]}\n\n";
    assertThat(StreamEnding.ofStream(ClientApi.OPENAI, quoted, true)).isEqualTo(Ending.CUT);
    assertThat(StreamEnding.ofStream(ClientApi.ANTHROPIC, quoted, true)).isEqualTo(Ending.CUT);
  }

  @Test
  void aPlainBodyIsCompleteWhenItArrivedWhole() {
    assertThat(StreamEnding.ofBody(true)).isEqualTo(Ending.COMPLETE);
    assertThat(StreamEnding.ofBody(false)).isEqualTo(Ending.CUT);
  }
}
