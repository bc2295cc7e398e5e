package dev.aigis.core.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.BackendCall;
import dev.aigis.core.provider.TranslationException;
import dev.aigis.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiToOpenAiChatTranslatorTest {

  static Stream<Path> cases() {
    return TranslatorGolden.cases("openai");
  }

  static Stream<Path> streamCases() {
    return TranslatorGolden.streamCases("openai");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void golden(Path dir) throws Exception {
    TranslatorGolden.check(dir, OpenAiToOpenAiChatTranslator::new);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void streamCutAtRandomBoundaries(Path dir) throws Exception {
    TranslatorGolden.replayCut(dir, OpenAiToOpenAiChatTranslator::new, 60);
  }

  @Test
  void modelIsRequired() throws Exception {
    ObjectNode pivot = (ObjectNode) Json.MAPPER.readTree("{\"messages\":[]}");
    assertThatThrownBy(() -> new OpenAiToOpenAiChatTranslator()
        .chatRequest(pivot, new BackendCall(" ", false, "")))
        .isInstanceOfSatisfying(TranslationException.class,
            e -> assertThat(e.error().status()).isEqualTo(400));
  }

  @Test
  void eventsAfterDoneAreIgnoredAndFailuresAreSticky() throws Exception {
    var translator = new OpenAiToOpenAiChatTranslator();
    List<ObjectNode> chunks = new ArrayList<>();
    translator.streamBytes(utf8("data: [DONE]\n\ndata: not json\n\n"), chunks::add);
    translator.streamEnd(chunks::add);
    assertThat(chunks).isEmpty();

    var broken = new OpenAiToOpenAiChatTranslator();
    assertThatThrownBy(() -> broken.streamBytes(utf8("data: [1]\n\n"), chunks::add))
        .hasMessage("Upstream OpenAI sent an invalid response: stream chunk is not a JSON object");
    assertThatThrownBy(() -> broken.streamBytes(utf8("data: [DONE]\n\n"), chunks::add))
        .hasMessage("Upstream OpenAI sent an invalid response: stream chunk is not a JSON object");
    assertThatThrownBy(() -> broken.streamEnd(chunks::add)).isInstanceOf(TranslationException.class);
  }

  @Test
  void usageOfANonStreamedAnswerWithoutUsageIsNull() throws Exception {
    var translator = new OpenAiToOpenAiChatTranslator();
    translator.chatResponse(utf8("{\"object\":\"chat.completion\",\"choices\":[]}"));
    assertThat(translator.usage()).isNull();
  }

  @Test
  void anEventLargerThanTheLimitFailsTheStream() {
    var translator = new OpenAiToOpenAiChatTranslator();
    byte[] huge = new byte[OpenAiChunkStream.MAX_EVENT_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) 'a');
    assertThatThrownBy(() -> translator.streamBytes(huge, chunk -> {}))
        .isInstanceOfSatisfying(TranslationException.class,
            e -> assertThat(e.error().status()).isEqualTo(502));
  }

  @Test
  void streamUsageKeepsTheLastUsageObject() throws Exception {
    var translator = new OpenAiToOpenAiChatTranslator();
    translator.streamBytes(utf8("""
        data: {"choices":[],"usage":null}

        data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}

        data: [DONE]

        """), chunk -> {});
    translator.streamEnd(chunk -> {});
    assertThat(translator.usage()).isEqualTo(TokenUsage.of(3, 2));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
