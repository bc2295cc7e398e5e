package dev.aigis.core.api.text;

import static dev.aigis.core.api.text.TextTesting.bytes;
import static dev.aigis.core.api.text.TextTesting.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.json.Json;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Token data ({@code logprobs}) spells the text again: an edited text must not keep it. */
class TokenDataTest {

  private static final UnaryOperator<String> REDACT = text -> text.replace("Ann", "[NAME]");

  @Test
  void anEditedChatChunkLosesItsLogprobsAndAnUneditedOneKeepsThem() {
    String event = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" Ann\"},"
        + "\"logprobs\":{\"content\":[{\"token\":\" Ann\",\"logprob\":-0.1,\"bytes\":[32,65,110,110],\"top_logprobs\":[]}],\"refusal\":null},"
        + "\"finish_reason\":null}]}\n\n";
    ResponseText chat = ResponseText.of(ApiEndpoint.CHAT_COMPLETIONS);
    byte[] in = bytes(event);

    assertThat(string(chat.withDeltaText(in, " [NAME]"))).isEqualTo(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" [NAME]\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    assertThat(chat.withDeltaText(in, " Ann")).isSameAs(in);
  }

  @Test
  void anEditedResponsesTextLosesItsLogprobsInDeltasAndDoneEvents() {
    ResponseText responses = ResponseText.of(ApiEndpoint.RESPONSES);
    String delta = "event: response.output_text.delta\n"
        + "data: {\"type\":\"response.output_text.delta\",\"delta\":\"Ann\",\"logprobs\":[{\"token\":\"Ann\",\"logprob\":-0.2,\"top_logprobs\":[]}],\"sequence_number\":4}\n\n";
    String itemDone = "event: response.output_item.done\n"
        + "data: {\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"content\":["
        + "{\"type\":\"output_text\",\"text\":\"Ann\",\"annotations\":[],\"logprobs\":[{\"token\":\"Ann\",\"logprob\":-0.2}]}]},\"sequence_number\":8}\n\n";

    assertThat(string(responses.withDeltaText(bytes(delta), "[NAME]"))).isEqualTo("event: response.output_text.delta\n"
        + "data: {\"type\":\"response.output_text.delta\",\"delta\":\"[NAME]\",\"logprobs\":[],\"sequence_number\":4}\n\n");
    assertThat(string(responses.rewriteWholeTexts(bytes(itemDone), REDACT))).isEqualTo("event: response.output_item.done\n"
        + "data: {\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"content\":["
        + "{\"type\":\"output_text\",\"text\":\"[NAME]\",\"annotations\":[],\"logprobs\":[]}]},\"sequence_number\":8}\n\n");
  }

  @Test
  void anEditedGeminiCandidateLosesItsLogprobsResultOnceForAllItsParts() {
    String event = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi \"},{\"text\":\"Ann\"}]},"
        + "\"logprobsResult\":{\"chosenCandidates\":[{\"token\":\"Ann\",\"logProbability\":-0.1}]},\"avgLogprobs\":-0.1}]}\n\n";

    assertThat(string(ResponseText.of(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT).withDeltaText(bytes(event), "Hi [NAME]")))
        .isEqualTo("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi [NAME]\"},{\"text\":\"\"}]},"
            + "\"logprobsResult\":null,\"avgLogprobs\":-0.1}]}\n\n");
  }

  @Test
  void wholeBodiesLoseTheLogprobsOfEditedChoicesOnly() throws Exception {
    String body = "{\"choices\":["
        + "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Ann\"},\"logprobs\":{\"content\":[{\"token\":\"Ann\"}]}},"
        + "{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":\"Bob\"},\"logprobs\":{\"content\":[{\"token\":\"Bob\"}]}}]}";
    String expected = "{\"choices\":["
        + "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"[NAME]\"},\"logprobs\":null},"
        + "{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":\"Bob\"},\"logprobs\":{\"content\":[{\"token\":\"Bob\"}]}}]}";
    ResponseText chat = ResponseText.of(ApiEndpoint.CHAT_COMPLETIONS);

    assertThat(string(chat.rewrite(bytes(body), REDACT))).isEqualTo(expected);
    JsonNode tree = chat.rewrite(Json.MAPPER.readTree(body), REDACT);
    assertThat(Json.MAPPER.writeValueAsString(tree)).isEqualTo(expected);
  }

  @Test
  void aBufferedGeminiJsonArrayStreamIsReadAsItsResponses() {
    String body = "[{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hi \"}]}}]},\n"
        + "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Ann\"}]},\"finishReason\":\"STOP\"}]}]";
    ResponseText gemini = ResponseText.of(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT);

    assertThat(gemini.texts(bytes(body))).containsExactly("Hi ", "Ann");
    assertThat(string(gemini.rewrite(bytes(body), REDACT))).isEqualTo(body.replace("\"Ann\"", "\"[NAME]\""));
  }

  @Test
  void logprobsSpreadOverSeveralDataLinesAreReplacedWithTheirLineBreaks() {
    String event = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Ann\"},\"logprobs\":{\"content\":[\r\n"
        + "data: {\"token\":\"Ann\"}]},\"finish_reason\":null}]}\r\n\r\n";

    byte[] out = ResponseText.of(ApiEndpoint.CHAT_COMPLETIONS).withDeltaText(bytes(event), "[NAME]");

    assertThat(string(out)).isEqualTo(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"[NAME]\"},\"logprobs\":null,\"finish_reason\":null}]}\r\n\r\n");
  }
}
