package dev.aigis.core.provider.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.api.GatewayError;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.provider.openai.TranslatorGolden;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays {@code fixtures/openai-responses/chat/} through {@link OpenAiToOpenAiResponsesTranslator}:
 * pivot requests to Responses requests, Responses answers and event streams (whole, cut at random
 * byte boundaries with a fixed seed, and byte by byte) to pivot answers and chunks, errors.
 */
class ResponsesOutGoldenTest {

  static Stream<Path> cases() {
    return TranslatorGolden.cases("openai-responses");
  }

  static Stream<Path> streamCases() {
    return TranslatorGolden.streamCases("openai-responses");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void golden(Path dir) throws Exception {
    TranslatorGolden.check(dir, OpenAiToOpenAiResponsesTranslator::new);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void streamCutAtRandomBoundaries(Path dir) throws Exception {
    TranslatorGolden.replayCut(dir, OpenAiToOpenAiResponsesTranslator::new, 60);
  }

  @Test
  void stopSequencesAreRefusedNamingTheField() throws Exception {
    ObjectNode request = (ObjectNode) Json.MAPPER.readTree(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":[\"END\"]}");
    assertThatThrownBy(() -> new OpenAiToOpenAiResponsesTranslator().chatRequest(request,
        new BackendCall("gpt-4.1", false, "")))
        .isInstanceOfSatisfying(TranslationException.class, e -> {
          assertThat(e.error()).isEqualTo(new GatewayError.InvalidRequest(
              "stop sequences are not supported by the OpenAI Responses backend", "stop"));
        });
  }

  @Test
  void nonFunctionToolsAreRefusedNamingTheTool() throws Exception {
    ObjectNode request = (ObjectNode) Json.MAPPER.readTree(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"x\"}}]}");
    assertThatThrownBy(() -> new OpenAiToOpenAiResponsesTranslator().chatRequest(request,
        new BackendCall("gpt-4.1", false, "")))
        .isInstanceOfSatisfying(TranslationException.class, e -> assertThat(e.error()).isEqualTo(
            new GatewayError.InvalidRequest("tool type 'custom' in 'tools[0]' is not supported", "tools[0].type")));
  }
}
