package dev.aigis.core.provider.anthropic.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.AnthropicErrorRenderer;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.InboundApi;
import dev.aigis.core.provider.TranslationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Rejections, options and stream edges that a golden case would only obscure. */
class AnthropicInboundCodecTest {

  private final AnthropicInboundCodec codec = new AnthropicInboundCodec();

  @Test
  void isTheAnthropicApiWithAnthropicErrors() {
    assertThat(codec.api()).isEqualTo(InboundApi.Anthropic);
    assertThat(codec.errors()).isSameAs(AnthropicErrorRenderer.INSTANCE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"model":"m","messages":[]}                                  | max_tokens: Field required
      {"model":"m","max_tokens":null,"messages":[]}                | max_tokens: Field required
      {"model":"m","max_tokens":10}                                | messages: Field required
      {"max_tokens":10,"messages":[]}                              | model: Field required
      {"model":"m","max_tokens":"ten","messages":[]}               | max_tokens: Input should be a valid integer
      {"model":"m","max_tokens":10,"messages":{}}                  | messages: Input should be a valid list
      {"model":"m","max_tokens":10,"messages":[{"role":"tool","content":"x"}]} | messages.0.role: Input should be 'user', 'assistant' or 'system'
      {"model":"m","max_tokens":10,"messages":[{"role":"system","content":[{"type":"image"}]}]} | messages.0.content.0.type: a system message holds only text blocks
      {"model":"m","max_tokens":10,"messages":[{"role":"user"}]}   | messages.0.content: Field required
      {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"search_result"}]}]} | messages.0.content.0.type: content block type 'search_result' is not supported here
      {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"f"}}]}]} | messages.0.content.0.source.type: image source must be 'base64' or 'url'
      {"model":"m","max_tokens":10,"messages":[],"tools":[{"type":"web_search_20250305","name":"web_search"}]} | tools.0.type: server tool 'web_search_20250305' cannot be translated for this backend
      {"model":"m","max_tokens":10,"messages":[],"tools":[{"name":"t","input_schema":{}}],"tool_choice":{"type":"tool"}} | tool_choice.name: Field required
      [1,2]                                                        | Request body must be a JSON object
      """)
  void rejectsWithAnthropicStyleMessages(String request, String message) throws Exception {
    JsonNode body = Json.MAPPER.readTree(request);
    assertThatThrownBy(() -> codec.toPivot(body))
        .isInstanceOfSatisfying(TranslationException.class, e -> {
          assertThat(e.error()).isInstanceOf(GatewayError.InvalidRequest.class);
          assertThat(e.error().status()).isEqualTo(400);
          assertThat(e.getMessage()).isEqualTo(message);
        });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      {"type":"auto"} | "auto"
      {"type":"any"}  | "required"
      {"type":"none"} | "none"
      """)
  void mapsToolChoice(String choice, String expected) throws Exception {
    ObjectNode pivot = codec.toPivot(Json.MAPPER.readTree("""
        {"model":"m","max_tokens":1,"messages":[],"tools":[{"name":"t","input_schema":{"type":"object"}}],"tool_choice":%s}
        """.formatted(choice)));
    assertThat(pivot.get("tool_choice")).isEqualTo(Json.MAPPER.readTree(expected));
    assertThat(pivot.has("parallel_tool_calls")).isFalse();
  }

  @Test
  void toolChoiceWithoutToolsIsLeftOutAsOpenAiRejectsIt() throws Exception {
    ObjectNode pivot = codec.toPivot(Json.MAPPER.readTree("""
        {"model":"m","max_tokens":1,"messages":[],"tool_choice":{"type":"any","disable_parallel_tool_use":true}}"""));
    assertThat(pivot.has("tool_choice")).isFalse();
    assertThat(pivot.has("parallel_tool_calls")).isFalse();
  }

  @Test
  void documentsBecomeFilePartsOrText() throws Exception {
    ObjectNode pivot = codec.toPivot(Json.MAPPER.readTree("""
        {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[
          {"type":"document","title":"a.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVBER"}},
          {"type":"document","source":{"type":"text","media_type":"text/plain","data":"plain"},"citations":{"enabled":true}}]}]}"""));
    assertThat(pivot.at("/messages/0/content")).isEqualTo(Json.MAPPER.readTree("""
        [{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBER"}},
         {"type":"text","text":"plain"}]"""));
  }

  @Test
  void thePivotSharesNoMutableNodeWithTheClientRequest() throws Exception {
    JsonNode request = Json.MAPPER.readTree("""
        {"model":"m","max_tokens":1,"messages":[],"stop_sequences":["x"],
         "tools":[{"name":"t","input_schema":{"type":"object"}}]}""");
    JsonNode before = request.deepCopy();
    ObjectNode pivot = codec.toPivot(request);
    ((ObjectNode) pivot.at("/tools/0/function/parameters")).put("changed", true);
    ((com.fasterxml.jackson.databind.node.ArrayNode) pivot.get("stop")).add("y");
    assertThat(request).isEqualTo(before);
  }

  @Test
  void malformedToolArgumentsBecomeAnEmptyInput() throws Exception {
    byte[] body = codec.fromPivot((ObjectNode) Json.MAPPER.readTree("""
        {"id":"chatcmpl-x","model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant",
         "content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\\"a\\":"}}]}}]}"""));
    JsonNode message = Json.MAPPER.readTree(body);
    assertThat(message.at("/content/0/input")).isEqualTo(Json.MAPPER.createObjectNode());
    assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use"); // stop after tool calls
    assertThat(message.get("usage")).isEqualTo(Json.MAPPER.readTree(
        "{\"input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":0}"));
  }

  @Test
  void anEmptyStreamStillHasAProperStartAndEnd() {
    List<String> events = new ArrayList<>();
    codec.pivotEnd(e -> events.add(new String(e, StandardCharsets.UTF_8)));
    codec.pivotEnd(e -> events.add("again"));
    assertThat(events).extracting(e -> e.substring(0, e.indexOf('\n')))
        .containsExactly("event: message_start", "event: message_delta", "event: message_stop");
    assertThat(events.get(1)).contains("\"stop_reason\":\"end_turn\"");
  }

  @Test
  void textAfterAToolCallOpensAFreshTextBlockAfterIt() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String chunk : List.of(
        "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}",
        "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"late\"}}]}",
        "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]}}]}")) {
      codec.pivotChunk((ObjectNode) Json.MAPPER.readTree(chunk), e -> events.add(data(e)));
    }
    codec.pivotEnd(e -> events.add(data(e)));
    assertThat(events).extracting(e -> e.path("type").asText() + "@" + e.path("index").asText())
        .containsExactly("message_start@", "content_block_start@0", "content_block_delta@0",
            "content_block_delta@0", "content_block_stop@0", "content_block_start@1", "content_block_delta@1",
            "content_block_stop@1", "message_delta@", "message_stop@");
    assertThat(events.get(6).at("/delta/text").asText()).isEqualTo("late");
    assertThat(events.get(8).at("/delta/stop_reason").asText()).isEqualTo("tool_use");
  }

  @Test
  void otherChoicesAreIgnored() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    codec.pivotChunk((ObjectNode) Json.MAPPER.readTree(
        "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}},{\"index\":0,\"delta\":{\"content\":\"mine\"}}]}"),
        e -> events.add(data(e)));
    assertThat(events).extracting(e -> e.path("type").asText())
        .containsExactly("message_start", "content_block_start", "content_block_delta");
    assertThat(events.get(2).at("/delta/text").asText()).isEqualTo("mine");
  }

  private static JsonNode data(byte[] event) {
    String text = new String(event, StandardCharsets.UTF_8);
    try {
      return Json.MAPPER.readTree(text.substring(text.indexOf("data: ") + 6).strip());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
