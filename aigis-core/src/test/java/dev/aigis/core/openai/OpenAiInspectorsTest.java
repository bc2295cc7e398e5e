package dev.aigis.core.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.usage.TokenUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiInspectorsTest {

  @Test
  void readsModelStreamAndIncludeUsageAndSkipsTheRest() throws Exception {
    OpenAiRequest request = inspect("""
        {"messages":[{"role":"user","content":"{\\"model\\":\\"nested\\"}"}],"model":"gpt-4o",
         "stream":true,"stream_options":{"other":[1,2],"include_usage":true},"tools":[{"a":{"b":[]}}]}""");
    assertThat(request).isEqualTo(new OpenAiRequest("gpt-4o", true, true));
  }

  @Test
  void absentFieldsHaveDefaults() throws Exception {
    assertThat(inspect("{\"input\":\"x\"}")).isEqualTo(new OpenAiRequest(null, false, false));
  }

  @Test
  void malformedJsonGivesItsPositionWithoutEchoingTheBody() {
    assertThatThrownBy(() -> inspect("{\"model\":\"a\",\n\"secret prompt\" 1}"))
        .isInstanceOfSatisfying(RequestRejected.class, e -> {
          assertThat(e.error()).isInstanceOf(GatewayError.MalformedJson.class);
          var malformed = (GatewayError.MalformedJson) e.error();
          assertThat(malformed.line()).isEqualTo(2);
          assertThat(malformed.column()).isEqualTo(17);
          assertThat(malformed.message()).doesNotContain("secret prompt").doesNotContain("Source");
        });
  }

  /**
   * Found by ClientRequestFuzzTest (corpus file deep-tool-parameters.json): a tool schema 994
   * arrays deep was read, then Bedrock's wrapping took it past Jackson's write limit, a 500.
   * Requests now nest at most {@link Json#MAX_NESTING_DEPTH} levels, refused as a client error.
   */
  @Test
  void nestingPastTheLimitIsAnInvalidRequestNamingTheLimit() {
    String deep = "{\"model\":\"m\",\"tools\":" + "[".repeat(Json.MAX_NESTING_DEPTH) + "]".repeat(Json.MAX_NESTING_DEPTH) + "}";
    assertThatThrownBy(() -> inspect(deep)).isInstanceOfSatisfying(RequestRejected.class, e -> {
      assertThat(e.error()).isInstanceOf(GatewayError.InvalidRequest.class);
      assertThat(e.error().message())
          .isEqualTo("Document nesting depth (501) exceeds the maximum allowed (500)");
    });
    String fits = "{\"model\":\"m\",\"tools\":" + "[".repeat(Json.MAX_NESTING_DEPTH - 1)
        + "]".repeat(Json.MAX_NESTING_DEPTH - 1) + "}";
    assertThat(catchThrowable(() -> inspect(fits))).isNull();
  }

  @Test
  void trailingGarbageIsMalformed() {
    assertThatThrownBy(() -> inspect("{\"model\":\"a\"} x"))
        .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.error().code()).isEqualTo("invalid_json"));
  }

  @Test
  void nonObjectAndNonStringModelAreInvalidRequests() {
    assertThatThrownBy(() -> inspect("[]")).isInstanceOfSatisfying(RequestRejected.class,
        e -> assertThat(e.error().message()).isEqualTo("Request body must be a JSON object"));
    assertThatThrownBy(() -> inspect("{\"model\":5}")).isInstanceOfSatisfying(RequestRejected.class,
        e -> assertThat(e.error().message()).isEqualTo("`model` must be a string"));
    assertThatThrownBy(() -> inspect("")).isInstanceOfSatisfying(RequestRejected.class,
        e -> assertThat(e.error().message()).isEqualTo("Request body is empty; expected a JSON object"));
  }

  @Test
  void rewriteOverridesModelAndAsksForUsageKeepingOtherOptions() throws Exception {
    byte[] body = "{\"model\":\"a\",\"stream\":true,\"stream_options\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8);
    OpenAiRequest request = OpenAiRequestInspector.inspect(body);
    assertThat(OpenAiRequestRewriter.needed(request, null, false)).isFalse();
    assertThat(OpenAiRequestRewriter.needed(request, "a", false)).isFalse();
    assertThat(OpenAiRequestRewriter.needed(request, null, true)).isTrue();
    assertThat(new String(OpenAiRequestRewriter.rewrite(body, "b", true), StandardCharsets.UTF_8))
        .isEqualTo("{\"model\":\"b\",\"stream\":true,\"stream_options\":{\"x\":1,\"include_usage\":true}}");
  }

  @Test
  void streamChunkUsageAndUsageOnlyDetection() throws IOException {
    assertThat(OpenAiResponseInspector.chunk("{\"choices\":[{\"delta\":{\"content\":\"hi\"}},{\"x\":[1]}],\"usage\":null}"))
        .isEqualTo(StreamChunk.PLAIN);
    StreamChunk usageOnly = OpenAiResponseInspector.chunk(
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":3},\"completion_tokens_details\":{\"reasoning_tokens\":2}}}");
    assertThat(usageOnly).isEqualTo(new StreamChunk(new TokenUsage(9, 4, 13, 3, 2), true));
    StreamChunk withChoices = OpenAiResponseInspector.chunk(
        "{\"choices\":[{\"delta\":{}}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}");
    assertThat(withChoices.usageOnly()).isFalse();
    assertThat(withChoices.usage().total()).isEqualTo(2);
  }

  @Test
  void malformedChunksAreRefused() {
    assertThatThrownBy(() -> OpenAiResponseInspector.chunk("{\"choices\":[")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> OpenAiResponseInspector.chunk("not json")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> OpenAiResponseInspector.chunk("{} {}")).isInstanceOf(IOException.class);
  }

  private static OpenAiRequest inspect(String json) throws RequestRejected {
    return OpenAiRequestInspector.inspect(json.getBytes(StandardCharsets.UTF_8));
  }
}
