package dev.aigis.core.api.text;

import static dev.aigis.core.api.text.TextTesting.bytes;
import static dev.aigis.core.api.text.TextTesting.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.api.ApiEndpoint;
import org.junit.jupiter.api.Test;

class GeminiTextTest {

  private static final ResponseText GEMINI = ResponseText.of(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT);

  @Test
  void rewritesATextChunkKeepingCrlfAndGooglesUnicodeEscapesElsewhere() {
    String event = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \", w\\u00f6rld\"}],\"role\": \"model\"},\"index\": 0}],"
        + "\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"r\\u00e9sp\"}\r\n\r\n";

    assertThat(GEMINI.deltaText(bytes(event))).isEqualTo(", wörld");
    assertThat(string(GEMINI.withDeltaText(bytes(event), ", w\"o\"rld"))).isEqualTo(
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \", w\\\"o\\\"rld\"}],\"role\": \"model\"},\"index\": 0}],"
            + "\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"r\\u00e9sp\"}\r\n\r\n");
  }

  @Test
  void severalTextPartsReadAsOneAndTheNewTextGoesToTheFirstWithTheOthersEmptied() {
    String event = "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Call 555-\"},{\"text\":\"0100 now\"}]}}]}\n\n";

    assertThat(GEMINI.deltaText(bytes(event))).isEqualTo("Call 555-0100 now");
    assertThat(string(GEMINI.withDeltaText(bytes(event), "Call [PHONE] now"))).isEqualTo(
        "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Call [PHONE] now\"},{\"text\":\"\"}]}}]}\n\n");
  }

  @Test
  void thoughtPartsAreNotTheAnswerAndAreLeftAlone() {
    String event = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Thinking about Ann\",\"thought\":true},{\"text\":\"Ann says hi\"}],\"role\":\"model\"},\"index\":0}]}\n\n";
    String thoughtOnly = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Think\",\"thought\":true}],\"role\":\"model\"},\"index\":0}]}\n\n";

    assertThat(GEMINI.deltaText(bytes(event))).isEqualTo("Ann says hi");
    assertThat(string(GEMINI.withDeltaText(bytes(event), "[NAME] says hi"))).isEqualTo(
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Thinking about Ann\",\"thought\":true},{\"text\":\"[NAME] says hi\"}],\"role\":\"model\"},\"index\":0}]}\n\n");
    assertThat(GEMINI.kind(bytes(thoughtOnly))).isEqualTo(EventKind.NONE);
  }

  @Test
  void theLastChunksEmptyTextReadsAsNoneButCanCarryHeldText() {
    String last = "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":4,\"totalTokenCount\":9}}\n\n";

    assertThat(GEMINI.deltaText(bytes(last))).isNull();
    assertThat(string(GEMINI.withDeltaText(bytes(last), " tail"))).isEqualTo(
        "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\" tail\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":4,\"totalTokenCount\":9}}\n\n");
  }

  @Test
  void chunksWithoutTextAreTheSameArray() {
    for (String event : new String[] {
        "data: {\"candidates\":[{\"finishReason\":\"MAX_TOKENS\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":3,\"totalTokenCount\":19}}\n\n",
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}}],\"role\":\"model\"},\"finishReason\":\"STOP\"}]}\n\n",
        "data: {\"error\":{\"code\":429,\"message\":\"Resource exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}\n\n",
        "data: {\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}\n\n"}) {
      byte[] in = bytes(event);
      assertThat(GEMINI.kind(in)).as(event).isEqualTo(EventKind.NONE);
      assertThat(GEMINI.withDeltaText(in, "x")).as(event).isSameAs(in);
    }
  }

  @Test
  void onlyTheFirstCandidateIsTheTextStream() {
    String event = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"one\"}]}},{\"content\":{\"parts\":[{\"text\":\"two\"}]},\"index\":1}]}\n\n";

    assertThat(GEMINI.deltaText(bytes(event))).isEqualTo("one");
  }
}
