package dev.aigis.core.api.text;

import static dev.aigis.core.api.text.TextTesting.bytes;
import static dev.aigis.core.api.text.TextTesting.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.json.Json;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class WholeBodyTextTest {

  private static final UnaryOperator<String> REDACT = text -> text.replace("Zoë", "[NAME]");

  @Test
  void chatCompletionTextsAreEveryChoicesContentStringOrTextPartsAndRefusal() throws Exception {
    JsonNode body = Json.MAPPER.readTree("""
        {"choices":[
          {"index":0,"message":{"role":"assistant","content":"Hello, Zoë!","refusal":null,
            "tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\\"who\\":\\"Zoë\\"}"}}]}},
          {"index":1,"message":{"role":"assistant","content":[{"type":"text","text":"Hi Zoë"},{"type":"image_url","image_url":{"url":"x"}}]}},
          {"index":2,"message":{"role":"assistant","content":null,"refusal":"Not for Zoë."}}]}
        """);

    assertThat(ResponseText.of(ApiEndpoint.CHAT_COMPLETIONS).texts(body))
        .containsExactly("Hello, Zoë!", "Hi Zoë", "Not for Zoë.");
  }

  @Test
  void rewritingBytesKeepsThePrettyPrintedLayoutAndLeavesToolArgumentsAlone() {
    String body = """
        {
          "id": "chatcmpl-AbC123",
          "object": "chat.completion",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "Hello, Zoë!",
                "refusal": null,
                "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "Zoë"}}]
              },
              "finish_reason": "stop"
            }
          ],
          "usage": {"prompt_tokens": 21, "completion_tokens": 5, "total_tokens": 26}
        }
        """;

    byte[] out = ResponseText.of(ApiEndpoint.CHAT_COMPLETIONS).rewrite(bytes(body), REDACT);

    assertThat(string(out)).isEqualTo(body.replace("\"Hello, Zoë!\"", "\"Hello, [NAME]!\""));
  }

  @Test
  void rewritingATreeReturnsAnEditedCopyInTheSameFieldOrder() throws Exception {
    JsonNode body = Json.MAPPER.readTree("""
        {"id":"msg_ta","type":"message","role":"assistant","content":[
          {"type":"thinking","thinking":"Zoë asked.","signature":""},
          {"type":"text","text":"Zoë: 42."},
          {"type":"tool_use","id":"t1","name":"f","input":{"who":"Zoë"}}],"stop_reason":"end_turn"}
        """);
    ResponseText anthropic = ResponseText.of(ApiEndpoint.ANTHROPIC_MESSAGES);

    JsonNode out = anthropic.rewrite(body, REDACT);

    assertThat(Json.MAPPER.writeValueAsString(out)).isEqualTo("{\"id\":\"msg_ta\",\"type\":\"message\",\"role\":\"assistant\",\"content\":["
        + "{\"type\":\"thinking\",\"thinking\":\"Zoë asked.\",\"signature\":\"\"},"
        + "{\"type\":\"text\",\"text\":\"[NAME]: 42.\"},"
        + "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{\"who\":\"Zoë\"}}],\"stop_reason\":\"end_turn\"}");
    assertThat(body.at("/content/1/text").textValue()).isEqualTo("Zoë: 42.");
    assertThat(anthropic.rewrite(body, UnaryOperator.identity())).isSameAs(body);
    assertThat(anthropic.texts(body)).containsExactly("Zoë: 42.");
  }

  @Test
  void completionsTextsAreEveryChoicesText() {
    byte[] body = bytes("{\"object\":\"text_completion\",\"choices\":[{\"text\":\"Zoë\",\"index\":0},{\"text\":\"Zoë too\",\"index\":1}]}");
    ResponseText completions = ResponseText.of(ApiEndpoint.COMPLETIONS);

    assertThat(completions.texts(body)).containsExactly("Zoë", "Zoë too");
    assertThat(string(completions.rewrite(body, REDACT)))
        .isEqualTo("{\"object\":\"text_completion\",\"choices\":[{\"text\":\"[NAME]\",\"index\":0},{\"text\":\"[NAME] too\",\"index\":1}]}");
  }

  @Test
  void responsesTextsAreMessageOutputTextAndRefusalPartsAndTheConvenienceFieldIsRewrittenButNotCounted() {
    String body = "{\"id\":\"resp_1\",\"object\":\"response\",\"output\":["
        + "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Zoë\"}]},"
        + "{\"id\":\"fc_1\",\"type\":\"function_call\",\"arguments\":\"{\\\"who\\\":\\\"Zoë\\\"}\",\"call_id\":\"c\",\"name\":\"f\"},"
        + "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":["
        + "{\"type\":\"output_text\",\"text\":\"Hi Zoë.\",\"annotations\":[]},{\"type\":\"refusal\",\"refusal\":\"Zoë, no.\"}]}],"
        + "\"output_text\":\"Hi Zoë.\",\"usage\":{\"input_tokens\":3}}";
    ResponseText responses = ResponseText.of(ApiEndpoint.RESPONSES);

    assertThat(responses.texts(bytes(body))).containsExactly("Hi Zoë.", "Zoë, no.");
    assertThat(string(responses.rewrite(bytes(body), REDACT))).isEqualTo(body
        .replace("\"Hi Zoë.\"", "\"Hi [NAME].\"").replace("\"Zoë, no.\"", "\"[NAME], no.\""));
  }

  @Test
  void geminiTextsAreEveryCandidatesNonThoughtParts() {
    String body = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":["
        + "{\"text\":\"Zoë asked\",\"thought\":true},{\"text\":\"Hello \"},{\"text\":\"Zoë\"},"
        + "{\"functionCall\":{\"name\":\"f\",\"args\":{\"who\":\"Zoë\"}}}]},\"finishReason\":\"STOP\",\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":5},\"modelVersion\":\"gemini-2.5-flash\"}";
    ResponseText gemini = ResponseText.of(ApiEndpoint.GEMINI_GENERATE_CONTENT);

    assertThat(gemini.texts(bytes(body))).containsExactly("Hello ", "Zoë");
    assertThat(string(gemini.rewrite(bytes(body), REDACT)))
        .isEqualTo(body.replace("{\"text\":\"Zoë\"}", "{\"text\":\"[NAME]\"}"));
  }

  @Test
  void endpointsWithoutModelTextAndBodiesThatAreNotJsonObjectsAreLeftAsTheyAre() {
    byte[] embeddings = bytes("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"embedding\":[0.1]}]}");
    byte[] html = bytes("<html>Zoë</html>");
    ResponseText none = ResponseText.of(ApiEndpoint.EMBEDDINGS);
    ResponseText chat = ResponseText.of(ApiEndpoint.CHAT_COMPLETIONS);

    assertThat(none.carriesText()).isFalse();
    assertThat(none.texts(embeddings)).isEmpty();
    assertThat(none.rewrite(embeddings, REDACT)).isSameAs(embeddings);
    assertThat(none.kind(bytes("data: {}\n\n"))).isEqualTo(EventKind.NONE);
    assertThat(chat.readable(html)).isFalse();
    assertThat(chat.texts(html)).isEmpty();
    assertThat(chat.rewrite(html, REDACT)).isSameAs(html);
    assertThat(chat.rewrite(bytes("[1,2]"), REDACT)).isEqualTo(bytes("[1,2]"));
    byte[] twice = bytes("{\"choices\":[{\"message\":{\"content\":\"Zoë\",\"content\":\"x\"}}]}");
    assertThat(chat.readable(twice)).isFalse();
    assertThat(chat.rewrite(twice, REDACT)).isSameAs(twice);
    assertThat(chat.readable(bytes("{\"choices\":[]}"))).isTrue();
  }

  @Test
  void malformedShapesReadAsNoTextInsteadOfFailing() {
    byte[] odd = bytes("{\"choices\":{\"0\":{\"message\":{\"content\":\"x\"}}},\"candidates\":\"x\",\"content\":{\"text\":\"y\"}}");

    for (ApiEndpoint endpoint : ApiEndpoint.values()) {
      assertThat(ResponseText.of(endpoint).texts(odd)).as(endpoint.name()).isEmpty();
    }
  }

  @Test
  void aStreamedAnswerHandedOverWholeIsCutIntoItsEventsWhoseBytesRebuildIt() {
    String stream = "event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"content\":[]}}\r\n\r\n"
        + "event: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi Zoë\"}}\r\n\r\n"
        + "event: message_stop\r\ndata: {\"type\":\"message_stop\"}";

    List<TextEvent> events = ResponseText.of(ApiEndpoint.ANTHROPIC_MESSAGES).events(bytes(stream));

    assertThat(events).extracting(TextEvent::kind).containsExactly(EventKind.NONE, EventKind.DELTA, EventKind.NONE);
    assertThat(events.get(1).deltaText()).isEqualTo("Hi Zoë");
    var rebuilt = new StringBuilder();
    events.forEach(event -> rebuilt.append(string(event.withDeltaText(REDACT.apply(event.deltaText() == null ? "" : event.deltaText())))));
    assertThat(rebuilt.toString()).isEqualTo(stream.replace("Hi Zoë", "Hi [NAME]"));
  }
}
