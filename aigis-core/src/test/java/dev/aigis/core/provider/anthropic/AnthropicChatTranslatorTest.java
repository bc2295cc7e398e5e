package dev.aigis.core.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.api.OpenAiErrorRenderer;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.UpstreamCall;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the golden files do not show: headers, refusals, error mapping, usage as it arrives. */
class AnthropicChatTranslatorTest {

  static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000));
  static final BackendCall CALL = new BackendCall("claude-haiku-4-5", false, "/anthropic");

  final OpenAiToAnthropicChatTranslator translator =
      new OpenAiToAnthropicChatTranslator("2024-10-22", CLOCK);

  @Test
  void requestHasPathHeadersAndTheCallsModel() throws Exception {
    UpstreamCall call = translator.chatRequest(
        obj("{'model':'gpt-4o','messages':[{'role':'user','content':'hi'}]}"), CALL);

    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.pathAndQuery()).isEqualTo("/anthropic/v1/messages");
    assertThat(call.headers()).containsEntry("anthropic-version", "2024-10-22")
        .containsEntry("content-type", "application/json")
        .as("the key is BackendAuth's to add").doesNotContainKey("x-api-key");
    assertThat(Json.MAPPER.readTree(call.body()).get("model").asText()).isEqualTo("claude-haiku-4-5");
  }

  @Test
  void defaultVersionWhenNoneIsConfigured() throws Exception {
    UpstreamCall call = new OpenAiToAnthropicChatTranslator().chatRequest(
        obj("{'messages':[{'role':'user','content':'hi'}]}"),
        new BackendCall("claude-haiku-4-5", true, ""));

    assertThat(call.headers()).containsEntry("anthropic-version", "2023-06-01");
    JsonNode body = Json.MAPPER.readTree(call.body());
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(body.get("max_tokens").asInt()).isEqualTo(4096);
  }

  @Test
  void jsonObjectFormatAppendsAnInstructionToSystem() throws Exception {
    JsonNode body = body("{'messages':[{'role':'user','content':'list'}],"
        + "'response_format':{'type':'json_object'}}");

    assertThat(body.get("system").asText()).isEqualTo(ChatRequestTranslation.JSON_OBJECT_INSTRUCTION);
  }

  @Test
  void parallelToolCallsFalseWithoutToolChoiceForcesAutoWithoutParallelUse() throws Exception {
    JsonNode body = body("{'messages':[{'role':'user','content':'x'}],'parallel_tool_calls':false,"
        + "'tools':[{'type':'function','function':{'name':'f'}}]}");

    assertThat(body.get("tool_choice"))
        .isEqualTo(Json.MAPPER.readTree("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "n=2 | {'n':2,'messages':[{'role':'user','content':'x'}]} | n | 'n' greater than 1 is not supported by the Anthropic backend",
      "bad arguments | {'messages':[{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'{secret'}}]}]} | messages | 'messages[0].tool_calls[0].function.arguments' is not a JSON object",
      "array arguments | {'messages':[{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'[1]'}}]}]} | messages | 'messages[0].tool_calls[0].function.arguments' is not a JSON object",
      "audio part | {'messages':[{'role':'user','content':[{'type':'input_audio','input_audio':{}}]}]} | messages | content part type 'input_audio' in 'messages[0].content[0]' is not supported by the Anthropic backend",
      "non-base64 data URL | {'messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:image/png,abc'}}]}]} | messages | 'messages[0].content[0].image_url.url' must be a base64 data URL (data:<media type>;base64,...) or an http(s) URL",
      "ftp image | {'messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'ftp://x/y.png'}}]}]} | messages | 'messages[0].content[0].image_url.url' must be a base64 data URL or an http(s) URL",
      "only system | {'messages':[{'role':'system','content':'x'}]} | messages | 'messages' must contain at least one user, assistant or tool message",
      "function role | {'messages':[{'role':'function','name':'f','content':'x'}]} | messages | 'messages[0].role' must be system, developer, user, assistant or tool for the Anthropic backend",
      "tool without id | {'messages':[{'role':'tool','content':'x'}]} | messages | 'messages[0].tool_call_id' is required for tool messages",
      "audio output | {'audio':{'voice':'alloy'},'messages':[{'role':'user','content':'x'}]} | audio | audio output is not supported by the Anthropic backend",
      "zero max tokens | {'max_tokens':0,'messages':[{'role':'user','content':'x'}]} | max_tokens | 'max_tokens' must be a positive integer",
      "web search tool | {'tools':[{'type':'web_search'}],'messages':[{'role':'user','content':'x'}]} | tools | 'tools[0]' must be a function tool with a name",
      "bad tool_choice | {'tool_choice':'sometimes','messages':[{'role':'user','content':'x'}]} | tool_choice | 'tool_choice' must be auto, required, none or a function",
      "legacy functions | {'functions':[{'name':'f'}],'messages':[{'role':'user','content':'x'}]} | functions | the deprecated 'functions'/'function_call' are not supported by the Anthropic backend; use 'tools' and 'tool_choice'",
  })
  void inexpressibleRequestsAre400s(String name, String request, String param, String message) {
    assertThatThrownBy(() -> translator.chatRequest(obj(request), CALL))
        .isInstanceOfSatisfying(TranslationException.class, e -> {
          assertThat(e.error()).isEqualTo(new GatewayError.InvalidRequest(message, param));
          assertThat(e.getMessage()).doesNotContain("secret");
        });
  }

  @Test
  void anthropicErrorBodyKeepsStatusTypeAndMessage() {
    GatewayError error = translator.upstreamError(429, bytes(
        "{'type':'error','error':{'type':'rate_limit_error','message':'Number of request tokens has exceeded your per-minute rate limit'}}"));

    assertThat(error).isEqualTo(new GatewayError.ProviderError(429, "rate_limit_error",
        "Number of request tokens has exceeded your per-minute rate limit", "anthropic"));
    assertThat(new String(OpenAiErrorRenderer.INSTANCE.body(error), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":{\"message\":\"Number of request tokens has exceeded your per-minute"
            + " rate limit\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"rate_limit_error\"}}");
  }

  @Test
  void overloadedAnswerKeeps529() {
    assertThat(translator.upstreamError(529,
        bytes("{'type':'error','error':{'type':'overloaded_error','message':'Overloaded'}}")))
        .isEqualTo(new GatewayError.ProviderError(529, "overloaded_error", "Overloaded", "anthropic"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "502 | <html>Bad Gateway</html>", "500 | ''", "400 | {'message':'not anthropic'}"})
  void otherErrorBodiesBecomeAGenericStatusError(int status, String body) {
    GatewayError error = translator.upstreamError(status, bytes(body));

    assertThat(error).isEqualTo(new GatewayError.UpstreamStatus("anthropic", status));
    assertThat(error.message()).isEqualTo("Upstream anthropic answered HTTP " + status);
  }

  @Test
  void usageOfAPlainAnswerCountsCacheTokensIntoThePromptAndKeepsTheWrites() throws Exception {
    translator.chatResponse(bytes("{'id':'m','type':'message','role':'assistant','model':'c',"
        + "'content':[],'stop_reason':'end_turn','usage':{'input_tokens':5,"
        + "'cache_creation_input_tokens':7,'cache_read_input_tokens':11,'output_tokens':3}}"));

    assertThat(translator.usage()).isEqualTo(new TokenUsage(23, 3, 26, 11, 0, 7));
  }

  @Test
  void streamUsageIsKnownFromMessageStartAndCompletedByMessageDelta() throws Exception {
    List<ObjectNode> chunks = new ArrayList<>();
    translator.streamBytes(bytes("event: message_start\ndata: {'type':'message_start','message':"
        + "{'id':'m','model':'c','usage':{'input_tokens':9,'output_tokens':1}}}\n\n"), chunks::add);
    assertThat(translator.usage()).isEqualTo(TokenUsage.of(9, 1));

    translator.streamBytes(bytes("event: message_delta\ndata: {'type':'message_delta','delta':"
        + "{'stop_reason':'max_tokens'},'usage':{'output_tokens':40}}\n\n"), chunks::add);

    assertThat(translator.usage()).isEqualTo(TokenUsage.of(9, 40));
    assertThat(chunks.getLast().at("/choices/0/finish_reason").asText()).isEqualTo("length");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "api_error | 502", "rate_limit_error | 429", "overloaded_error | 503", "brand_new_error | 502"})
  void streamErrorEventsBecomeProviderErrors(String type, int status) throws Exception {
    translator.streamBytes(bytes("event: message_start\ndata: {'type':'message_start','message':"
        + "{'id':'m','model':'c','usage':{'input_tokens':1,'output_tokens':1}}}\n\n"), c -> { });

    assertThatThrownBy(() -> translator.streamBytes(bytes("event: error\ndata: {'type':'error',"
        + "'error':{'type':'" + type + "','message':'boom'}}\n\n"), c -> { }))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error())
            .isEqualTo(new GatewayError.ProviderError(status, type, "boom", "anthropic")));
  }

  @Test
  void malformedEventsAndEventsBeforeMessageStartAre502s() {
    assertThatThrownBy(() -> translator.streamBytes(
        "event: message_start\ndata: {not json\n\n".getBytes(StandardCharsets.UTF_8), c -> { }))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error()).isEqualTo(
            new GatewayError.UpstreamProtocolError("anthropic", "a stream event is not valid JSON of the expected shape")));
    var other = new OpenAiToAnthropicChatTranslator("2023-06-01", CLOCK);
    assertThatThrownBy(() -> other.streamBytes(bytes("data: {'type':'content_block_delta','index':0,"
        + "'delta':{'type':'text_delta','text':'x'}}\n\n"), c -> { }))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error()).isEqualTo(
            new GatewayError.UpstreamProtocolError("anthropic", "stream event content_block_delta before message_start")));
  }

  @Test
  void emptyStreamIsTruncated() {
    assertThatThrownBy(() -> translator.streamEnd(c -> { }))
        .isInstanceOfSatisfying(TranslationException.class,
            e -> assertThat(e.error().status()).isEqualTo(502));
  }

  @Test
  void aPlainAnswerThatIsNotAMessageIsA502() {
    assertThatThrownBy(() -> translator.chatResponse(bytes("{'type':'error'}")))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error())
            .isEqualTo(new GatewayError.UpstreamProtocolError("anthropic", "the answer is not a Messages API message")));
  }

  private JsonNode body(String request) throws TranslationException, IOException {
    return Json.MAPPER.readTree(translator.chatRequest(obj(request), CALL).body());
  }

  static ObjectNode obj(String singleQuoted) throws IOException {
    return (ObjectNode) Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
  }

  static byte[] bytes(String singleQuoted) {
    return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }
}
