package dev.aigis.core.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import dev.aigis.core.provider.openai.TranslatorGolden;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiToAzureOpenAiChatTranslatorTest {

  static final String API_VERSION = "2024-10-21";

  static Stream<Path> cases() {
    return TranslatorGolden.cases("azure");
  }

  static Stream<Path> streamCases() {
    return TranslatorGolden.streamCases("azure");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void golden(Path dir) throws Exception {
    TranslatorGolden.check(dir, () -> new OpenAiToAzureOpenAiChatTranslator(API_VERSION));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void streamCutAtRandomBoundaries(Path dir) throws Exception {
    TranslatorGolden.replayCut(dir, () -> new OpenAiToAzureOpenAiChatTranslator(API_VERSION), 60);
  }

  @Test
  void apiVersionIsRequired() {
    assertThatThrownBy(() -> new OpenAiToAzureOpenAiChatTranslator(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyPromptFilterChunksWithoutUsageAreDropped() throws Exception {
    assertThat(promptFilterOnly("{\"choices\":[],\"prompt_filter_results\":[]}")).isTrue();
    assertThat(promptFilterOnly("{\"choices\":[],\"prompt_filter_results\":[],\"usage\":null}")).isTrue();
    assertThat(promptFilterOnly("{\"choices\":[],\"prompt_filter_results\":[],\"usage\":{}}")).isFalse();
    assertThat(promptFilterOnly("{\"choices\":[],\"usage\":{\"prompt_tokens\":1}}")).isFalse();
    assertThat(promptFilterOnly("{\"choices\":[{}],\"prompt_filter_results\":[]}")).isFalse();
  }

  @Test
  void deploymentAndVersionArePercentEncoded() {
    assertThat(OpenAiToAzureOpenAiChatTranslator.encode("a b/c?d&é~")).isEqualTo("a%20b%2Fc%3Fd%26%C3%A9~");
  }

  private static boolean promptFilterOnly(String json) throws Exception {
    return OpenAiToAzureOpenAiChatTranslator.isPromptFilterOnly((ObjectNode) Json.MAPPER.readTree(json));
  }
}
