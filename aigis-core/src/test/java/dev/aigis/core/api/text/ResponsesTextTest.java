package dev.aigis.core.api.text;

import static dev.aigis.core.api.text.TextTesting.bytes;
import static dev.aigis.core.api.text.TextTesting.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.api.ApiEndpoint;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ResponsesTextTest {

  private static final ResponseText RESPONSES = ResponseText.of(ApiEndpoint.RESPONSES);
  private static final UnaryOperator<String> REDACT = text -> text.replace("Ann", "[NAME]");

  @Test
  void rewritesAnOutputTextDelta() {
    String event = "event: response.output_text.delta\n"
        + "data: {\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi Ann\",\"logprobs\":[],\"sequence_number\":4}\n\n";

    assertThat(RESPONSES.kind(bytes(event))).isEqualTo(EventKind.DELTA);
    assertThat(RESPONSES.deltaText(bytes(event))).isEqualTo("Hi Ann");
    assertThat(string(RESPONSES.withDeltaText(bytes(event), "Hi [NAME]"))).isEqualTo("event: response.output_text.delta\n"
        + "data: {\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi [NAME]\",\"logprobs\":[],\"sequence_number\":4}\n\n");
  }

  @Test
  void aRefusalDeltaIsText() {
    String event = "event: response.refusal.delta\n"
        + "data: {\"type\":\"response.refusal.delta\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":1,\"delta\":\"I can't\",\"sequence_number\":8}\n\n";

    assertThat(RESPONSES.deltaText(bytes(event))).isEqualTo("I can't");
  }

  @Test
  void lifecycleReasoningAndToolEventsCarryNoText() {
    for (String event : new String[] {
        "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[],\"usage\":null},\"sequence_number\":0}\n\n",
        "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]},\"sequence_number\":2}\n\n",
        "event: response.content_part.added\ndata: {\"type\":\"response.content_part.added\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[],\"logprobs\":[]},\"sequence_number\":3}\n\n",
        "event: response.reasoning_summary_text.delta\ndata: {\"type\":\"response.reasoning_summary_text.delta\",\"item_id\":\"rs_1\",\"output_index\":0,\"summary_index\":0,\"delta\":\"Ann asked\",\"sequence_number\":3}\n\n",
        "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\",\"item_id\":\"fc_1\",\"output_index\":1,\"delta\":\"{\\\"city\\\"\",\"sequence_number\":5}\n\n",
        "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":{\"id\":\"fc_1\",\"type\":\"function_call\",\"status\":\"completed\",\"arguments\":\"{\\\"who\\\":\\\"Ann\\\"}\",\"call_id\":\"call_1\",\"name\":\"f\"},\"sequence_number\":9}\n\n",
        "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"boom\",\"param\":null,\"sequence_number\":3}\n\n"}) {
      byte[] in = bytes(event);
      assertThat(RESPONSES.kind(in)).as(event).isEqualTo(EventKind.NONE);
      assertThat(RESPONSES.withDeltaText(in, "x")).as(event).isSameAs(in);
      assertThat(RESPONSES.rewriteWholeTexts(in, REDACT)).as(event).isSameAs(in);
    }
  }

  @Test
  void theDoneEventsOfTheTextAndItsPartAreRewrittenByTheWholeTextEdit() {
    String textDone = "event: response.output_text.done\r\n"
        + "data: {\"type\":\"response.output_text.done\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"text\":\"Hi Ann, bye Ann\",\"logprobs\":[],\"sequence_number\":6}\r\n\r\n";
    String partDone = "event: response.content_part.done\n"
        + "data: {\"type\":\"response.content_part.done\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"Hi Ann\",\"annotations\":[],\"logprobs\":[]},\"sequence_number\":7}\n\n";

    assertThat(RESPONSES.carriesWholeText(bytes(textDone))).isTrue();
    assertThat(string(RESPONSES.rewriteWholeTexts(bytes(textDone), REDACT))).isEqualTo("event: response.output_text.done\r\n"
        + "data: {\"type\":\"response.output_text.done\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"text\":\"Hi [NAME], bye [NAME]\",\"logprobs\":[],\"sequence_number\":6}\r\n\r\n");
    assertThat(string(RESPONSES.rewriteWholeTexts(bytes(partDone), REDACT))).isEqualTo("event: response.content_part.done\n"
        + "data: {\"type\":\"response.content_part.done\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"Hi [NAME]\",\"annotations\":[],\"logprobs\":[]},\"sequence_number\":7}\n\n");
  }

  @Test
  void theItemDoneAndCompletedEventsHaveEachTextAndRefusalRewritten() {
    String itemDone = "event: response.output_item.done\n"
        + "data: {\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Sorry Ann: \",\"annotations\":[],\"logprobs\":[]},{\"type\":\"refusal\",\"refusal\":\"Ann, I can't.\"}]},\"sequence_number\":12}\n\n";
    String completed = "event: response.completed\n"
        + "data: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"output\":["
        + "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Ann\"}]},"
        + "{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi Ann\",\"annotations\":[]}]}],"
        + "\"instructions\":\"Greet Ann\",\"usage\":{\"input_tokens\":11,\"output_tokens\":3,\"total_tokens\":14}},\"sequence_number\":9}\n\n";

    assertThat(string(RESPONSES.rewriteWholeTexts(bytes(itemDone), REDACT))).isEqualTo("event: response.output_item.done\n"
        + "data: {\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Sorry [NAME]: \",\"annotations\":[],\"logprobs\":[]},{\"type\":\"refusal\",\"refusal\":\"[NAME], I can't.\"}]},\"sequence_number\":12}\n\n");
    assertThat(string(RESPONSES.rewriteWholeTexts(bytes(completed), REDACT))).isEqualTo("event: response.completed\n"
        + "data: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"output\":["
        + "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Ann\"}]},"
        + "{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi [NAME]\",\"annotations\":[]}]}],"
        + "\"instructions\":\"Greet Ann\",\"usage\":{\"input_tokens\":11,\"output_tokens\":3,\"total_tokens\":14}},\"sequence_number\":9}\n\n");
  }

  @Test
  void wholeTextEventsAreNotDeltasAndAnEditThatChangesNothingKeepsTheArray() {
    byte[] refusalDone = bytes("event: response.refusal.done\n"
        + "data: {\"type\":\"response.refusal.done\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":1,\"refusal\":\"I can't help with that.\",\"sequence_number\":10}\n\n");

    assertThat(RESPONSES.kind(refusalDone)).isEqualTo(EventKind.WHOLE_TEXT);
    assertThat(RESPONSES.deltaText(refusalDone)).isNull();
    assertThat(RESPONSES.withDeltaText(refusalDone, "x")).isSameAs(refusalDone);
    assertThat(RESPONSES.rewriteWholeTexts(refusalDone, REDACT)).isSameAs(refusalDone);
    assertThat(string(RESPONSES.rewriteWholeTexts(refusalDone, text -> "No.")))
        .contains("\"refusal\":\"No.\",\"sequence_number\":10}");
  }

  @Test
  void deltasAreNotWholeTexts() {
    byte[] delta = bytes("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Ann\"}\n\n");

    assertThat(RESPONSES.carriesWholeText(delta)).isFalse();
    assertThat(RESPONSES.rewriteWholeTexts(delta, REDACT)).isSameAs(delta);
  }
}
