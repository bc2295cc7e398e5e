package dev.aigis.core.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.openai.TranslatorGolden;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays {@code fixtures/gemini/chat/}: cases named {@code vertex-*} use the Vertex AI target,
 * the others Google AI. Streams are also replayed cut at random byte boundaries (fixed seed).
 */
class GeminiChatGoldenTest {

  static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000));

  static Stream<Path> cases() {
    return TranslatorGolden.cases("gemini");
  }

  static Stream<Path> streamCases() {
    return TranslatorGolden.streamCases("gemini");
  }

  static OpenAiToGeminiChatTranslator translator(Path dir) {
    return new OpenAiToGeminiChatTranslator(dir.getFileName().toString().startsWith("vertex-")
        ? new OpenAiToGeminiChatTranslator.Target.Vertex("my-project", "us-central1")
        : new OpenAiToGeminiChatTranslator.Target.GoogleAi(), CLOCK, () -> "chatcmpl-generated-1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void golden(Path dir) throws Exception {
    TranslatorGolden.check(dir, () -> translator(dir));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void streamCutAtRandomBoundaries(Path dir) throws Exception {
    TranslatorGolden.replayCut(dir, () -> translator(dir), 60);
  }

  @Test
  void toolResultForAnUnknownCallIsRefused() {
    ObjectNode request = (ObjectNode) Json.MAPPER.valueToTree(java.util.Map.of("messages", java.util.List.of(
        java.util.Map.of("role", "user", "content", "hi"),
        java.util.Map.of("role", "tool", "tool_call_id", "call_x", "content", "42"))));
    assertThatThrownBy(() -> new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.GoogleAi())
        .chatRequest(request, new BackendCall("gemini-2.5-flash", false, "")))
        .isInstanceOfSatisfying(TranslationException.class, e -> {
          assertThat(e.error()).isInstanceOf(GatewayError.InvalidRequest.class);
          assertThat(e.error().message()).contains("tool_call_id").doesNotContain("42");
        });
  }

  @Test
  void modelIsPathEncodedAndItsModelsPrefixDropped() throws Exception {
    ObjectNode request = (ObjectNode) Json.MAPPER.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    var call = new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.GoogleAi())
        .chatRequest(request, new BackendCall("models/tuned model", false, ""));
    assertThat(call.pathAndQuery()).isEqualTo("/v1beta/models/tuned%20model:generateContent");
    assertThat(call.headers()).doesNotContainKey("x-goog-api-key");
  }

  @Test
  void aRecursiveSchemaIsRefusedNamingTheField() throws Exception {
    ObjectNode request = (ObjectNode) Json.MAPPER.readTree("""
        {"messages": [{"role": "user", "content": "hi"}],
         "response_format": {"type": "json_schema", "json_schema": {"name": "tree", "schema": {
           "$defs": {"node": {"type": "object", "properties": {"children": {"type": "array",
             "items": {"$ref": "#/$defs/node"}}}}},
           "$ref": "#/$defs/node"}}}}""");
    assertThatThrownBy(() -> new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.GoogleAi())
        .chatRequest(request, new BackendCall("gemini-2.5-flash", false, "")))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error()).isEqualTo(
            new GatewayError.InvalidRequest("the schema's definition 'node' refers to itself; Gemini schemas have"
                + " no references, so a recursive schema cannot be expressed", "response_format")));
  }

  @Test
  void aReferenceOutsideTheSchemaIsRefusedNamingTheField() throws Exception {
    ObjectNode request = (ObjectNode) Json.MAPPER.readTree("""
        {"messages": [{"role": "user", "content": "hi"}],
         "tools": [{"type": "function", "function": {"name": "f", "parameters": {
           "type": "object", "properties": {"a": {"$ref": "https://example.com/a.json"}}}}}]}""");
    assertThatThrownBy(() -> new OpenAiToGeminiChatTranslator(new OpenAiToGeminiChatTranslator.Target.GoogleAi())
        .chatRequest(request, new BackendCall("gemini-2.5-flash", false, "")))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error()).isEqualTo(
            new GatewayError.InvalidRequest("the schema's $ref 'https://example.com/a.json' does not name a definition"
                + " of the same schema (#/$defs/... or #/definitions/...); Gemini schemas cannot refer elsewhere",
                "tools")));
  }

  @Test
  void answersWithoutAResponseIdGetIdsOfTheirOwn() throws Exception {
    byte[] answer = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"}]},\"finishReason\":\"STOP\"}]}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var target = new OpenAiToGeminiChatTranslator.Target.GoogleAi();
    String first = new OpenAiToGeminiChatTranslator(target).chatResponse(answer).path("id").asText();
    String second = new OpenAiToGeminiChatTranslator(target).chatResponse(answer).path("id").asText();
    assertThat(first).matches("chatcmpl-[0-9a-f]{32}").isNotEqualTo(second);
  }

  @Test
  void guessesImageTypesFromTheExtension() {
    assertThat(GeminiRequestTranslation.guessImageType("https://x/a.PNG?x=1")).isEqualTo("image/png");
    assertThat(GeminiRequestTranslation.guessImageType("https://x/a.gif#f")).isEqualTo("image/gif");
    assertThat(GeminiRequestTranslation.guessImageType("https://x/photo")).isEqualTo("image/jpeg");
  }
}
