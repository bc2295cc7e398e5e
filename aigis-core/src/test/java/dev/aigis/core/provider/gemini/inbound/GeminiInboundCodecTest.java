package dev.aigis.core.provider.gemini.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.core.api.ApiEndpoint;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.api.GeminiErrorRenderer;
import dev.aigis.core.api.QueryKey;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.TranslationException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the Gemini inbound side refuses, how its paths and keys are read, and how its errors look. */
class GeminiInboundCodecTest {

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"candidateCount":2}}                         | generationConfig | 'generationConfig.candidateCount' other than 1 cannot be translated
      {"contents":[{"parts":[{"text":"hi"}]}],"tools":[{"googleSearch":{}}]}                                     | tools            | 'tools[0].googleSearch' is a Google tool other backends do not have; only functionDeclarations translate
      {"contents":[{"parts":[{"text":"hi"}]}],"cachedContent":"cachedContents/abc"}                              | cachedContent    | 'cachedContent' cannot be translated: a Gemini cachedContent exists only on Google's side
      {"contents":[{"parts":[{"functionResponse":{"name":"f","response":{}}}]}]}                                | contents         | 'contents[0].parts[0].functionResponse' answers no earlier functionCall named 'f'
      {"contents":[{"parts":[{"executableCode":{"code":"1"}}]}]}                                                | contents         | 'contents[0].parts[0]' is a part this gateway cannot translate (text, inlineData, fileData, functionCall and functionResponse are)
      {"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"responseModalities":["TEXT","IMAGE"]}}       | generationConfig | 'generationConfig.responseModalities' other than TEXT cannot be translated
      {"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"responseMimeType":"text/x.enum"}}            | generationConfig | 'generationConfig.responseMimeType' text/x.enum cannot be translated (text/plain and application/json can)
      {"contents":[{"parts":[{"fileData":{"mimeType":"video/mp4","fileUri":"gs://b/v.mp4"}}]}]}                 | contents         | 'contents[0].parts[0].fileData' of type video/mp4 cannot be translated; only images can
      {"contents":[]}                                                                                           | contents         | * GenerateContentRequest.contents: contents is not specified
      """)
  void refusesWhatThePivotCannotCarry(String body, String param, String message) {
    assertThatThrownBy(() -> new GeminiInboundCodec("m", false).toPivot(Json.MAPPER.readTree(body)))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error())
            .isEqualTo(new GatewayError.InvalidRequest(message, param)));
  }

  @Test
  void pathsNameTheEndpointAndTheModel() {
    assertThat(ApiEndpoint.of("/v1beta/models/gemini-2.5-flash:generateContent"))
        .isEqualTo(ApiEndpoint.GEMINI_GENERATE_CONTENT);
    assertThat(ApiEndpoint.of("/v1/models/gemini-2.5-flash:streamGenerateContent"))
        .isEqualTo(ApiEndpoint.GEMINI_STREAM_GENERATE_CONTENT);
    assertThat(ApiEndpoint.of("/v1beta/models/gemini-2.5-flash:countTokens")).isEqualTo(ApiEndpoint.GEMINI_COUNT_TOKENS);
    assertThat(ApiEndpoint.of("/v1beta/models/gemini-2.5-flash:embedContent")).isEqualTo(ApiEndpoint.PASSTHROUGH);
    assertThat(ApiEndpoint.of("/v1/models/gpt-4o")).isEqualTo(ApiEndpoint.PASSTHROUGH);
    assertThat(ApiEndpoint.of("/v1beta/models/a/b:generateContent")).isEqualTo(ApiEndpoint.PASSTHROUGH);
    assertThat(ApiEndpoint.pathModel("/v1beta/models/my%20model:generateContent")).isEqualTo("my model");
    assertThat(ApiEndpoint.pathModel("/v1/chat/completions")).isNull();
  }

  @Test
  void theQueryKeyIsTakenOutOfTheQuery() {
    assertThat(QueryKey.split("alt=sse&key=AIza%2Bx")).isEqualTo(new QueryKey("AIza+x", "alt=sse"));
    assertThat(QueryKey.split("key=k")).isEqualTo(new QueryKey("k", null));
    assertThat(QueryKey.split("alt=sse")).isEqualTo(new QueryKey(null, "alt=sse"));
    assertThat(QueryKey.split(null)).isEqualTo(new QueryKey(null, null));
    assertThat(QueryKey.split("keys=1&key=")).isEqualTo(new QueryKey(null, "keys=1"));
  }

  @Test
  void errorsRenderInGooglesShape() {
    var error = new GatewayError.ModelNotFound("x");
    assertThat(new String(GeminiErrorRenderer.INSTANCE.body(error), StandardCharsets.UTF_8)).isEqualTo(
        "{\"error\":{\"code\":404,\"message\":\"The model `x` does not exist or is not served by this gateway\","
            + "\"status\":\"NOT_FOUND\"}}");
    assertThat(new String(GeminiErrorRenderer.INSTANCE.streamEvent(new GatewayError.InvalidRequest("bad", null)),
        StandardCharsets.UTF_8)).isEqualTo("data: {\"error\":{\"code\":400,\"message\":\"bad\",\"status\":\"INVALID_ARGUMENT\"}}\n\n");
    assertThat(GeminiErrorRenderer.status(429)).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(GeminiErrorRenderer.status(502)).isEqualTo("INTERNAL");
  }

  @Test
  void countTokensCountsTextCallsAndDeclarations() throws Exception {
    var count = GeminiTokenCount.count(Json.MAPPER.readTree("""
        {"generateContentRequest": {"model": "models/x",
          "contents": [{"parts": [{"text": "Hello there"}]}],
          "tools": [{"functionDeclarations": [{"name": "f"}]}]}}"""));
    assertThat(count.toString()).isEqualTo("{\"totalTokens\":3}");
  }
}
