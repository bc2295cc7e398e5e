package dev.aigis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.backend.BackendAuth;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.provider.anthropic.OpenAiToAnthropicChatTranslator;
import dev.aigis.core.usage.TokenUsage;
import dev.aigis.testkit.FakeAnthropicUpstream.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fake's checks, answers and faults, and the Anthropic translator against it end to end. */
class FakeAnthropicUpstreamTest {

  static final String KEY = "sk-ant-fake";
  static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  static FakeAnthropicUpstream upstream;

  @BeforeAll
  static void start() {
    upstream = FakeAnthropicUpstream.start(KEY);
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  @AfterEach
  void reset() {
    upstream.reset();
  }

  // ---- rejections ----

  static final String OK_BODY =
      "{'model':'claude-x','max_tokens':10,'messages':[{'role':'user','content':'hi'}]}";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "no key | /v1/messages | - | 2023-06-01 | " + "{'model':'claude-x','max_tokens':10,'messages':[{'role':'user','content':'hi'}]}"
          + " | 401 | authentication_error | x-api-key header is required",
      "wrong key | /v1/messages | sk-other | 2023-06-01 | {'model':'claude-x','max_tokens':10,'messages':[{'role':'user','content':'hi'}]}"
          + " | 401 | authentication_error | invalid x-api-key",
      "no version | /v1/messages | sk-ant-fake | - | {'model':'claude-x','max_tokens':10,'messages':[{'role':'user','content':'hi'}]}"
          + " | 400 | invalid_request_error | anthropic-version: header is required",
      "wrong path | /v1/chat/completions | sk-ant-fake | 2023-06-01 | {}"
          + " | 404 | not_found_error | Not found: POST /v1/chat/completions (this fake serves POST /v1/messages and /v1/messages/count_tokens)",
      "not json | /v1/messages | sk-ant-fake | 2023-06-01 | {nope"
          + " | 400 | invalid_request_error | Request body is not valid JSON",
      "no model | /v1/messages | sk-ant-fake | 2023-06-01 | {'max_tokens':10,'messages':[{'role':'user','content':'hi'}]}"
          + " | 400 | invalid_request_error | model: Field required",
      "no max_tokens | /v1/messages | sk-ant-fake | 2023-06-01 | {'model':'claude-x','messages':[{'role':'user','content':'hi'}]}"
          + " | 400 | invalid_request_error | max_tokens: Field required",
      "zero max_tokens | /v1/messages | sk-ant-fake | 2023-06-01 | {'model':'claude-x','max_tokens':0,'messages':[{'role':'user','content':'hi'}]}"
          + " | 400 | invalid_request_error | max_tokens: Input should be an integer greater than or equal to 1",
      "no messages | /v1/messages | sk-ant-fake | 2023-06-01 | {'model':'claude-x','max_tokens':10}"
          + " | 400 | invalid_request_error | messages: Field required",
      "empty messages | /v1/messages | sk-ant-fake | 2023-06-01 | {'model':'claude-x','max_tokens':10,'messages':[]}"
          + " | 400 | invalid_request_error | messages: at least one message is required",
      "system in messages | /v1/messages | sk-ant-fake | 2023-06-01 | {'model':'claude-x','max_tokens':10,'messages':[{'role':'system','content':'be nice'},{'role':'user','content':'hi'}]}"
          + " | 400 | invalid_request_error | messages.0.role: Unexpected role ~system~. The Messages API accepts a top-level `system` parameter, not ~system~ as an input message role.",
      "tool role | /v1/messages | sk-ant-fake | 2023-06-01 | {'model':'claude-x','max_tokens':10,'messages':[{'role':'user','content':'hi'},{'role':'tool','content':'x'}]}"
          + " | 400 | invalid_request_error | messages.1.role: Input should be 'user' or 'assistant'",
      "same role twice | /v1/messages | sk-ant-fake | 2023-06-01 | {'model':'claude-x','max_tokens':10,'messages':[{'role':'user','content':'a'},{'role':'user','content':'b'}]}"
          + " | 400 | invalid_request_error | messages.1: roles must alternate between ~user~ and ~assistant~, but found multiple ~user~ roles in a row",
      "tool_result in assistant | /v1/messages | sk-ant-fake | 2023-06-01 | {'model':'claude-x','max_tokens':10,'messages':[{'role':'user','content':'a'},{'role':'assistant','content':[{'type':'tool_result','tool_use_id':'t1','content':'x'}]}]}"
          + " | 400 | invalid_request_error | messages.1.content.0: tool_result blocks are only allowed in user messages",
      "tool_use in user | /v1/messages | sk-ant-fake | 2023-06-01 | {'model':'claude-x','max_tokens':10,'messages':[{'role':'user','content':[{'type':'tool_use','id':'t1','name':'f','input':{}}]}]}"
          + " | 400 | invalid_request_error | messages.0.content.0: tool_use blocks are only allowed in assistant messages",
      "orphan tool_result | /v1/messages | sk-ant-fake | 2023-06-01 | {'model':'claude-x','max_tokens':10,'messages':[{'role':'user','content':[{'type':'tool_result','tool_use_id':'t9','content':'x'}]}]}"
          + " | 400 | invalid_request_error | messages.0.content.0: unexpected tool_use_id found in tool_result blocks: t9. Each tool_result block must have a corresponding tool_use block in the previous message.",
      "unanswered tool_use | /v1/messages | sk-ant-fake | 2023-06-01 | {'model':'claude-x','max_tokens':10,'messages':[{'role':'user','content':'a'},{'role':'assistant','content':[{'type':'tool_use','id':'t1','name':'f','input':{}}]},{'role':'user','content':'b'}]}"
          + " | 400 | invalid_request_error | messages.2: tool_use ids were found without tool_result blocks immediately after: t1. Each tool_use block must have a corresponding tool_result block in the next message.",
      "empty text | /v1/messages | sk-ant-fake | 2023-06-01 | {'model':'claude-x','max_tokens':10,'messages':[{'role':'user','content':[{'type':'text','text':''}]}]}"
          + " | 400 | invalid_request_error | messages.0.content.0: text content blocks must be non-empty",
  })
  void rejectsWhatAnthropicRejects(String name, String path, String key, String version,
      String body, int status, String type, String message) {
    HttpResponse<String> response = post(path, body.replace('\'', '"'),
        key.equals("-") ? null : key, version.equals("-") ? null : version);

    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode error = json(response.body());
    assertThat(error.get("type").asText()).isEqualTo("error");
    assertThat(error.at("/error/type").asText()).isEqualTo(type);
    assertThat(error.at("/error/message").asText())
        .isEqualTo(message.replace('~', '"'));
    assertThat(upstream.lastRequest().path()).isEqualTo(path);
  }

  // ---- answers ----

  @Test
  void plainMessageEchoesTheModelWithScriptedUsage() {
    upstream.script(Reply.text("Bonjour tout le monde").withUsage(11, 4).withCacheTokens(100, 7));

    HttpResponse<String> response = post("/v1/messages", OK_BODY.replace('\'', '"'), KEY, "2023-06-01");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response.body());
    assertThat(body.get("id").asText()).startsWith("msg_fake_");
    assertThat(body.get("model").asText()).isEqualTo("claude-x");
    assertThat(body.at("/content/0/text").asText()).isEqualTo("Bonjour tout le monde");
    assertThat(body.get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(body.get("usage")).isEqualTo(json("{\"input_tokens\":11,"
        + "\"cache_creation_input_tokens\":7,\"cache_read_input_tokens\":100,\"output_tokens\":4}"));
  }

  @Test
  void countTokensNeedsNoMaxTokens() {
    HttpResponse<String> response = post("/v1/messages/count_tokens",
        "{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}",
        KEY, "2023-06-01");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body()).get("input_tokens").asInt()).isPositive();
  }

  @Test
  void scriptedHttpErrorHasAnthropicShape() {
    upstream.script(Reply.httpError(529, "overloaded_error", "Overloaded"));

    HttpResponse<String> response = post("/v1/messages", OK_BODY.replace('\'', '"'), KEY, "2023-06-01");

    assertThat(response.statusCode()).isEqualTo(529);
    assertThat(new OpenAiToAnthropicChatTranslator().upstreamError(529, response.body().getBytes()))
        .isEqualTo(new GatewayError.ProviderError(529, "overloaded_error", "Overloaded", "anthropic"));
  }

  // ---- the translator end to end ----

  static final String TOOLS_REQUEST = """
      {"model":"gpt-4o","messages":[
        {"role":"system","content":"Be brief."},
        {"role":"user","content":"Weather in Paris and London?"}],
       "tools":[{"type":"function","function":{"name":"get_weather",
         "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}""";

  @Test
  void streamedToolCallsReassembleThroughTheTranslator() throws Exception {
    upstream.script(Reply.text("Checking both.")
        .withToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}")
        .withToolCall("toolu_2", "get_weather", "{\"city\":\"London\"}")
        .withUsage(40, 25));
    var translator = new OpenAiToAnthropicChatTranslator();

    List<ObjectNode> chunks = streamThrough(translator, TOOLS_REQUEST);

    StringBuilder text = new StringBuilder();
    StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
    String finish = null;
    for (ObjectNode chunk : chunks) {
      JsonNode delta = chunk.at("/choices/0/delta");
      text.append(delta.path("content").asText(""));
      for (JsonNode call : delta.path("tool_calls")) {
        arguments[call.get("index").asInt()].append(call.at("/function/arguments").asText());
      }
      if (chunk.at("/choices/0/finish_reason").isTextual()) {
        finish = chunk.at("/choices/0/finish_reason").asText();
      }
    }
    assertThat(text.toString()).isEqualTo("Checking both.");
    assertThat(json(arguments[0].toString())).isEqualTo(json("{\"city\":\"Paris\"}"));
    assertThat(json(arguments[1].toString())).isEqualTo(json("{\"city\":\"London\"}"));
    assertThat(finish).isEqualTo("tool_calls");
    assertThat(chunks.getLast().get("choices")).isEmpty();
    assertThat(translator.usage()).isEqualTo(TokenUsage.of(40, 25));
    JsonNode sent = upstream.lastRequest().json();
    assertThat(sent.get("system").asText()).isEqualTo("Be brief.");
    assertThat(sent.get("stream").asBoolean()).isTrue();
  }

  @Test
  void toolResultRoundTripIsAcceptedByTheFake() throws Exception {
    var translator = new OpenAiToAnthropicChatTranslator();
    String request = """
        {"model":"gpt-4o","messages":[
          {"role":"user","content":"Weather in Paris and London?"},
          {"role":"assistant","content":null,"tool_calls":[
            {"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
            {"id":"toolu_2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"London\\"}"}}]},
          {"role":"tool","tool_call_id":"toolu_1","content":"18C"},
          {"role":"tool","tool_call_id":"toolu_2","content":"12C"},
          {"role":"user","content":"Summarise"}],
         "tools":[{"type":"function","function":{"name":"get_weather"}}]}""";
    upstream.script(Reply.text("Paris 18C, London 12C."));

    HttpResponse<byte[]> response = send(translator, request, false);

    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    assertThat(translator.chatResponse(response.body()).at("/choices/0/message/content").asText())
        .isEqualTo("Paris 18C, London 12C.");
  }

  @Test
  void errorEventMidStreamIsThrownAfterTheChunksBeforeIt() throws Exception {
    upstream.script(Reply.text("one two three").withErrorEvent(2, "overloaded_error", "Overloaded"));
    var translator = new OpenAiToAnthropicChatTranslator();
    List<ObjectNode> chunks = new ArrayList<>();

    assertThatThrownBy(() -> streamThrough(translator, OK_CHAT, chunks))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error()).isEqualTo(
            new GatewayError.ProviderError(503, "overloaded_error", "Overloaded", "anthropic")));
    assertThat(chunks).hasSize(3); // role, "one", " two"
  }

  @Test
  void truncatedStreamFailsAtItsEnd() {
    upstream.script(Reply.text("one two three").withTruncationAfter(4));
    var translator = new OpenAiToAnthropicChatTranslator();

    assertThatThrownBy(() -> streamThrough(translator, OK_CHAT))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error()).isEqualTo(
            new GatewayError.UpstreamProtocolError("anthropic", "the stream ended before message_stop")));
  }

  @Test
  void toolCallsScriptedForARequestWithoutToolsAre500() {
    upstream.script(Reply.text("x").withToolCall("t", "f", "{}"));

    HttpResponse<String> response = post("/v1/messages", OK_BODY.replace('\'', '"'), KEY, "2023-06-01");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(json(response.body()).at("/error/message").asText())
        .isEqualTo("fake: the scripted reply has tool calls but the request declares no tools");
  }

  static final String OK_CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  // ---- helpers ----

  static List<ObjectNode> streamThrough(OpenAiToAnthropicChatTranslator translator, String request)
      throws Exception {
    List<ObjectNode> chunks = new ArrayList<>();
    streamThrough(translator, request, chunks);
    return chunks;
  }

  static void streamThrough(OpenAiToAnthropicChatTranslator translator, String request,
      List<ObjectNode> chunks) throws Exception {
    HttpResponse<byte[]> response = send(translator, request, true);
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    byte[] body = response.body();
    for (int from = 0; from < body.length; from += 7) { // small arbitrary pieces
      byte[] piece = Arrays.copyOfRange(body, from, Math.min(body.length, from + 7));
      translator.streamBytes(piece, chunks::add);
    }
    translator.streamEnd(chunks::add);
  }

  static HttpResponse<byte[]> send(OpenAiToAnthropicChatTranslator translator, String request,
      boolean stream) throws Exception {
    // The key as the gateway adds it to every Anthropic call (BackendAuth, not the translator).
    UpstreamCall call = new BackendAuth.ApiKeyHeader("x-api-key").authorize(
        translator.chatRequest((ObjectNode) json(request), new BackendCall("claude-sonnet-4-5", stream, "")), KEY);
    var builder = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + call.pathAndQuery()))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(call.body()));
    for (Map.Entry<String, String> h : call.headers().entrySet()) {
      builder.header(h.getKey(), h.getValue());
    }
    return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<String> post(String path, String body, String key, String version) {
    var builder = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + path))
        .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (key != null) {
      builder.header("x-api-key", key);
    }
    if (version != null) {
      builder.header("anthropic-version", version);
    }
    try {
      return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return FakeAnthropicUpstream.JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(text, e);
    }
  }
}
