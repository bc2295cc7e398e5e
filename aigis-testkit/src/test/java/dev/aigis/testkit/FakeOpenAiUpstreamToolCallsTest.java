package dev.aigis.testkit;

import static dev.aigis.testkit.Http.json;
import static dev.aigis.testkit.Http.post;
import static dev.aigis.testkit.Http.sseData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigis.testkit.Behavior.ToolCall;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tool calls answered the way api.openai.com answers them, and OpenAI's tool-use validation. */
class FakeOpenAiUpstreamToolCallsTest {

  static FakeOpenAiUpstream upstream;

  static final String TOOLS = """
      "tools":[{"type":"function","function":{"name":"get_weather",
        "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]""";
  static final String CHAT = """
      {"model":"gpt-4o-mini",%s,"messages":[{"role":"user","content":"Weather in Paris?"}]}"""
      .formatted(TOOLS);
  static final String CHAT_STREAM = """
      {"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},%s,
       "messages":[{"role":"user","content":"Weather in Paris?"}]}""".formatted(TOOLS);

  static final ToolCall WEATHER =
      new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}");
  static final ToolCall TIME = new ToolCall("call_2", "get_time", "{\"tz\":\"Europe/Paris\"}");

  @BeforeAll
  static void start() {
    upstream = FakeOpenAiUpstream.start();
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  @AfterEach
  void reset() {
    upstream.reset();
  }

  // ---- answers ----

  @Test
  void nonStreamedToolCallsHaveOpenAiShape() {
    upstream.enqueue(Behavior.ok().withToolCalls(WEATHER).withUsage(20, 9));

    HttpResponse<String> response = post(upstream, "/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response.body());
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.get("choices")).isEqualTo(json("""
        [{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
          {"id":"call_1","type":"function","function":{"name":"get_weather",
           "arguments":"{\\"city\\":\\"Paris\\",\\"unit\\":\\"celsius\\"}"}}],
          "refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"tool_calls"}]"""));
    assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(29);
    // The wire order of the message fields, as OpenAI sends them.
    assertThat(response.body()).contains("\"message\":{\"role\":\"assistant\",\"content\":null,"
        + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
        + "{\"name\":\"get_weather\",\"arguments\":");
  }

  @Test
  void streamedToolCallsSendNameThenArgumentPiecesThenFinish() {
    upstream.enqueue(Behavior.ok().withToolCalls(WEATHER));

    List<String> events = sseData(post(upstream, "/v1/chat/completions", CHAT_STREAM).body());

    // role, name chunk, 3 argument pieces, finish, usage, [DONE]
    assertThat(events).hasSize(1 + 1 + 3 + 1 + 1 + 1).last().isEqualTo("[DONE]");
    List<JsonNode> choices = events.subList(0, 6).stream()
        .map(e -> json(e).get("choices").get(0)).toList();
    assertThat(choices.get(0).get("delta")).isEqualTo(
        json("{\"role\":\"assistant\",\"content\":null,\"refusal\":null}"));
    assertThat(choices.get(1)).isEqualTo(json("""
        {"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function",
          "function":{"name":"get_weather","arguments":""}}]},
         "logprobs":null,"finish_reason":null}"""));
    StringBuilder arguments = new StringBuilder();
    for (JsonNode piece : choices.subList(2, 5)) {
      JsonNode call = piece.get("delta").get("tool_calls").get(0);
      assertThat(call.get("index").asInt()).isZero();
      assertThat(call.has("id")).isFalse();
      assertThat(call.get("function").size()).isEqualTo(1);
      assertThat(call.get("function").get("arguments").asText()).isNotEmpty();
      assertThat(piece.get("finish_reason").isNull()).isTrue();
      arguments.append(call.get("function").get("arguments").asText());
    }
    assertThat(arguments.toString()).isEqualTo(WEATHER.argumentsJson());
    assertThat(choices.get(5)).isEqualTo(json(
        "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}"));
    JsonNode usage = json(events.get(6)).get("usage");
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(4);
  }

  @Test
  void parallelCallsStreamOneAfterTheOther() {
    upstream.enqueue(Behavior.ok().withToolCalls(WEATHER, TIME));

    List<String> events = sseData(post(upstream, "/v1/chat/completions", CHAT_STREAM).body());

    assertThat(events).hasSize(1 + 2 * 4 + 1 + 1 + 1);
    List<JsonNode> calls = events.subList(1, 1 + 8).stream()
        .map(e -> json(e).get("choices").get(0).get("delta").get("tool_calls").get(0)).toList();
    assertThat(calls).extracting(c -> c.get("index").asInt())
        .containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
    assertThat(calls.get(0).get("id").asText()).isEqualTo("call_1");
    assertThat(calls.get(4).get("id").asText()).isEqualTo("call_2");
    assertThat(calls.get(4).get("function").get("name").asText()).isEqualTo("get_time");
    assertThat(reassemble(calls, 1)).isEqualTo(TIME.argumentsJson());
    assertThat(reassemble(calls, 0)).isEqualTo(WEATHER.argumentsJson());
    assertThat(json(events.get(9)).get("choices").get(0).get("finish_reason").asText())
        .isEqualTo("tool_calls");

    upstream.enqueue(Behavior.ok().withToolCalls(WEATHER, TIME));
    JsonNode message = json(post(upstream, "/v1/chat/completions", CHAT).body())
        .get("choices").get(0).get("message");
    assertThat(message.get("tool_calls")).extracting(c -> c.get("id").asText())
        .containsExactly("call_1", "call_2");
    assertThat(message.get("tool_calls").get(1).get("function").get("arguments").asText())
        .isEqualTo(TIME.argumentsJson());
  }

  @Test
  void headerFormScriptsToolCalls() {
    String header = "{\"toolCalls\":[{\"id\":\"call_1\",\"name\":\"get_weather\","
        + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}]}";

    JsonNode choice = json(post(upstream, "/v1/chat/completions", CHAT,
        "x-fake-behavior", header).body()).get("choices").get(0);
    List<String> events = sseData(post(upstream, "/v1/chat/completions",
        CHAT_STREAM.replace("\"stream_options\":{\"include_usage\":true},", ""),
        "x-fake-behavior", header).body());

    assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(choice.get("message").get("tool_calls")).isEqualTo(json("""
        [{"id":"call_1","type":"function",
          "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]"""));
    List<JsonNode> calls = events.subList(1, 5).stream()
        .map(e -> json(e).get("choices").get(0).get("delta").get("tool_calls").get(0)).toList();
    assertThat(reassemble(calls, 0)).isEqualTo("{\"city\":\"Paris\"}");
    // Without include_usage: role, name, 3 pieces, finish, [DONE].
    assertThat(events).hasSize(1 + 1 + 3 + 1 + 1).last().isEqualTo("[DONE]");
    assertThat(json(events.get(5)).get("choices").get(0).get("finish_reason").asText())
        .isEqualTo("tool_calls");
  }

  @Test
  void headerAcceptsArgumentsAsJsonAndRejectsUnknownKeys() {
    JsonNode call = json(post(upstream, "/v1/chat/completions", CHAT, "x-fake-behavior",
        "{\"toolCalls\":[{\"id\":\"c\",\"name\":\"f\",\"arguments\":{\"a\":1}}]}").body())
        .get("choices").get(0).get("message").get("tool_calls").get(0);
    assertThat(call.get("function").get("arguments").asText()).isEqualTo("{\"a\":1}");

    HttpResponse<String> typo = post(upstream, "/v1/chat/completions", CHAT, "x-fake-behavior",
        "{\"toolCalls\":[{\"id\":\"c\",\"nmae\":\"f\"}]}");
    assertThat(typo.statusCode()).isEqualTo(400);
    assertThat(json(typo.body()).get("error").get("message").asText()).contains("nmae");
  }

  @Test
  void toolCallsDoNotChangeTextCompletions() {
    upstream.enqueue(Behavior.ok().withToolCalls(WEATHER).withReply("plain"));

    JsonNode choice = json(post(upstream, "/v1/completions",
        "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"x\"}").body()).get("choices").get(0);

    assertThat(choice.get("text").asText()).isEqualTo("plain");
    assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void toolCallRecordIsChecked() {
    assertThatThrownBy(() -> new ToolCall(null, "f", "{}"))
        .isInstanceOf(NullPointerException.class);
    assertThat(Behavior.ok().withToolCalls().toolCalls()).isEmpty();
  }

  // ---- validation ----

  @Test
  void toolResultAfterTheAssistantsCallIsAccepted() {
    HttpResponse<String> response = post(upstream, "/v1/chat/completions", """
        {"model":"gpt-4o-mini",%s,"tool_choice":{"type":"function","function":{"name":"get_weather"}},
         "messages":[{"role":"user","content":"Weather in Paris and Rome?"},
          {"role":"assistant","content":null,"tool_calls":[
            {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}},
            {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"call_2","content":"18C"},
          {"role":"tool","tool_call_id":"call_1","content":"21C"},
          {"role":"user","content":[{"type":"text","text":"and this?"},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},
            {"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}"""
        .formatted(TOOLS));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode recorded = upstream.lastRequest().json();
    assertThat(recorded.get("messages").get(2).get("tool_call_id").asText()).isEqualTo("call_2");
    assertThat(recorded.get("tools").get(0).get("function").get("name").asText())
        .isEqualTo("get_weather");
  }

  @Test
  void toolMessageWithoutAPrecedingCallIsRejected() {
    String expected = "{\"error\":{\"message\":\"Invalid parameter: messages with role 'tool' must"
        + " be a response to a preceeding message with 'tool_calls'.\",\"type\":"
        + "\"invalid_request_error\",\"param\":\"messages.[1].role\",\"code\":null}}";
    String noCall = """
        {"model":"m","messages":[{"role":"user","content":"x"},
          {"role":"tool","tool_call_id":"call_1","content":"18C"}]}""";
    String otherId = """
        {"model":"m","messages":[
          {"role":"assistant","tool_calls":[{"id":"call_9","type":"function",
            "function":{"name":"f","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"18C"}]}""";
    String callNotBeforeIt = """
        {"model":"m","messages":[
          {"role":"assistant","tool_calls":[{"id":"call_1","type":"function",
            "function":{"name":"f","arguments":"{}"}}]},
          {"role":"user","content":"x"},
          {"role":"tool","tool_call_id":"call_1","content":"18C"}]}""";

    assertError(post(upstream, "/v1/chat/completions", noCall), expected);
    assertError(post(upstream, "/v1/chat/completions", otherId), expected);
    assertError(post(upstream, "/v1/chat/completions", callNotBeforeIt),
        expected.replace("messages.[1]", "messages.[2]"));
    // The rejected request is still recorded.
    assertThat(upstream.lastRequest().json().get("messages").get(2).get("role").asText())
        .isEqualTo("tool");
  }

  @Test
  void toolMessageNeedsAToolCallId() {
    assertError(post(upstream, "/v1/chat/completions", """
        {"model":"m","messages":[{"role":"tool","content":"18C"}]}"""),
        "{\"error\":{\"message\":\"Missing required parameter: 'messages.[0].tool_call_id'.\","
            + "\"type\":\"invalid_request_error\",\"param\":\"messages.[0].tool_call_id\","
            + "\"code\":\"missing_required_parameter\"}}");
  }

  @Test
  void toolsMustBeNamedFunctions() {
    assertError(chatWith("\"tools\":[{\"type\":\"retrieval\"}]"),
        "{\"error\":{\"message\":\"Invalid value: 'retrieval'. Supported values are:"
            + " 'function'.\",\"type\":\"invalid_request_error\",\"param\":\"tools[0].type\","
            + "\"code\":\"invalid_value\"}}");
    assertError(chatWith("\"tools\":[" + "{\"type\":\"function\",\"function\":{\"name\":\"a\"}},"
            + "{\"type\":\"function\",\"function\":{\"description\":\"no name\"}}]"),
        "{\"error\":{\"message\":\"Missing required parameter: 'tools[1].function.name'.\","
            + "\"type\":\"invalid_request_error\",\"param\":\"tools[1].function.name\","
            + "\"code\":\"missing_required_parameter\"}}");
    assertError(chatWith("\"tools\":[{\"type\":\"function\"}]"),
        "{\"error\":{\"message\":\"Missing required parameter: 'tools[0].function'.\","
            + "\"type\":\"invalid_request_error\",\"param\":\"tools[0].function\","
            + "\"code\":\"missing_required_parameter\"}}");
    assertError(chatWith("\"tools\":[{\"function\":{\"name\":\"a\"}}]"),
        "{\"error\":{\"message\":\"Missing required parameter: 'tools[0].type'.\","
            + "\"type\":\"invalid_request_error\",\"param\":\"tools[0].type\","
            + "\"code\":\"missing_required_parameter\"}}");
    assertError(chatWith("\"tools\":{}"),
        "{\"error\":{\"message\":\"Invalid type for 'tools': expected an array.\","
            + "\"type\":\"invalid_request_error\",\"param\":\"tools\","
            + "\"code\":\"invalid_type\"}}");
  }

  @Test
  void imagePartsNeedADataOrHttpUrl() {
    assertError(post(upstream, "/v1/chat/completions", """
        {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"see"},
          {"type":"image_url","image_url":{"url":"file:///etc/passwd"}}]}]}"""),
        "{\"error\":{\"message\":\"Invalid 'messages[0].content[1].image_url.url'. Expected a"
            + " base64-encoded data URL with an image MIME type (e.g."
            + " 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got a value without the"
            + " 'data:' prefix.\",\"type\":\"invalid_request_error\","
            + "\"param\":\"messages[0].content[1].image_url.url\",\"code\":\"invalid_value\"}}");
    assertError(post(upstream, "/v1/chat/completions", """
        {"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]}"""),
        "{\"error\":{\"message\":\"Missing required parameter:"
            + " 'messages[0].content[0].image_url.url'.\",\"type\":\"invalid_request_error\","
            + "\"param\":\"messages[0].content[0].image_url.url\","
            + "\"code\":\"missing_required_parameter\"}}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"none\"", "\"auto\"", "\"required\"", "null",
      "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"})
  void validToolChoicesAreAccepted(String choice) {
    HttpResponse<String> response = chatWith(TOOLS + ",\"tool_choice\":" + choice);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  void toolChoiceMustBeAModeOrANamedFunction() {
    assertError(chatWith(TOOLS + ",\"tool_choice\":\"any\""),
        "{\"error\":{\"message\":\"Invalid value: 'any'. Supported values are: 'none', 'auto',"
            + " and 'required'.\",\"type\":\"invalid_request_error\",\"param\":\"tool_choice\","
            + "\"code\":\"invalid_value\"}}");
    assertError(chatWith(TOOLS + ",\"tool_choice\":{\"type\":\"tool\",\"function\":"
            + "{\"name\":\"get_weather\"}}"),
        "{\"error\":{\"message\":\"Invalid value: 'tool'. Supported values are: 'function'.\","
            + "\"type\":\"invalid_request_error\",\"param\":\"tool_choice.type\","
            + "\"code\":\"invalid_value\"}}");
    assertError(chatWith(TOOLS + ",\"tool_choice\":{\"type\":\"function\",\"function\":{}}"),
        "{\"error\":{\"message\":\"Missing required parameter: 'tool_choice.function.name'.\","
            + "\"type\":\"invalid_request_error\",\"param\":\"tool_choice.function.name\","
            + "\"code\":\"missing_required_parameter\"}}");
    assertError(chatWith(TOOLS + ",\"tool_choice\":{\"type\":\"function\"}"),
        "{\"error\":{\"message\":\"Missing required parameter: 'tool_choice.function'.\","
            + "\"type\":\"invalid_request_error\",\"param\":\"tool_choice.function\","
            + "\"code\":\"missing_required_parameter\"}}");
    assertError(chatWith(TOOLS + ",\"tool_choice\":true"),
        "{\"error\":{\"message\":\"Invalid type for 'tool_choice': expected a string or an"
            + " object.\",\"type\":\"invalid_request_error\",\"param\":\"tool_choice\","
            + "\"code\":\"invalid_type\"}}");
  }

  @Test
  void malformedJsonWinsOverToolErrors() {
    HttpResponse<String> response = post(upstream, "/v1/chat/completions",
        "{\"model\":\"m\",\"tool_choice\":\"any\",\"messages\":[");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).get("error").get("message").asText())
        .contains("could not parse the JSON body");
  }

  private static HttpResponse<String> chatWith(String fields) {
    return post(upstream, "/v1/chat/completions",
        "{\"model\":\"m\"," + fields + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
  }

  private static void assertError(HttpResponse<String> response, String expectedBody) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo(expectedBody);
  }

  /** The arguments of call {@code index} from streamed tool-call deltas. */
  private static String reassemble(List<JsonNode> deltas, int index) {
    StringBuilder out = new StringBuilder();
    for (JsonNode d : deltas) {
      if (d.get("index").asInt() == index) {
        out.append(d.get("function").get("arguments").asText());
      }
    }
    return out.toString();
  }
}
