package dev.aigis.core.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigis.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiReasoningModelsTest {

  @ParameterizedTest
  @CsvSource({
      "o1, true", "o1-mini, true", "o3-mini-2025-01-31, true", "o4-mini, true", "O3, true",
      "gpt-5, true", "gpt-5-mini, true", "gpt-5.1, true", "openai/gpt-5-nano, true",
      "gpt-4o, false", "gpt-4.1-mini, false", "o2, false", "gpt-50x, false", "claude-opus-4, false",
      "omni-moderation-latest, false"})
  void reasoningModelsAreTheOSeriesAndGpt5(String model, boolean refuses) {
    assertThat(OpenAiReasoningModels.refusesMaxTokens(model)).isEqualTo(refuses);
  }

  @Test
  void maxTokensIsRenamedAndAnExplicitMaxCompletionTokensWins() throws Exception {
    ObjectNode renamed = (ObjectNode) Json.MAPPER.readTree("{\"max_tokens\":5}");
    ObjectNode both = (ObjectNode) Json.MAPPER.readTree("{\"max_tokens\":5,\"max_completion_tokens\":9}");
    ObjectNode other = (ObjectNode) Json.MAPPER.readTree("{\"max_tokens\":5}");

    assertThat(OpenAiReasoningModels.useMaxCompletionTokens(renamed, "gpt-5")).isTrue();
    assertThat(OpenAiReasoningModels.useMaxCompletionTokens(both, "my-deployment", "o1")).isTrue();
    assertThat(OpenAiReasoningModels.useMaxCompletionTokens(other, "gpt-4o")).isFalse();

    assertThat(renamed.toString()).isEqualTo("{\"max_completion_tokens\":5}");
    assertThat(both.toString()).isEqualTo("{\"max_completion_tokens\":9}");
    assertThat(other.toString()).isEqualTo("{\"max_tokens\":5}");
  }

  @Test
  void aNativeBodyIsParsedOnlyForAReasoningModelThatGotMaxTokens() {
    byte[] body = "{\"model\":\"gpt-4o\", \"max_tokens\":5}".getBytes(StandardCharsets.UTF_8);
    byte[] withoutMaxTokens = "{\"model\":\"o3\",  \"messages\":[]}".getBytes(StandardCharsets.UTF_8);
    byte[] reasoning = "{\"model\":\"o3\",\"max_tokens\":5}".getBytes(StandardCharsets.UTF_8);

    assertThat(OpenAiReasoningModels.nativeBody(body, "gpt-4o")).isSameAs(body);
    assertThat(OpenAiReasoningModels.nativeBody(withoutMaxTokens, "o3")).isSameAs(withoutMaxTokens);
    assertThat(new String(OpenAiReasoningModels.nativeBody(reasoning, "o3"), StandardCharsets.UTF_8))
        .isEqualTo("{\"model\":\"o3\",\"max_completion_tokens\":5}");
  }
}
