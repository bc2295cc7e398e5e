package dev.aigis.core.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.model.backend.ApiSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicBetasTest {

  @Test
  void anthropicTakesEveryFlagAndTheCloudsTheDocumentedFamilies() {
    assertThat(AnthropicBetas.allowed(null, ApiSchema.Anthropic)).isNull();
    assertThat(AnthropicBetas.allowed(null, ApiSchema.GCPVertexAI)).isEqualTo(AnthropicBetas.CLOUD_DEFAULT);
    assertThat(AnthropicBetas.allowed(null, ApiSchema.AWSBedrock)).isEqualTo(AnthropicBetas.CLOUD_DEFAULT);
    assertThat(AnthropicBetas.allowed(List.of("x"), ApiSchema.Anthropic)).containsExactly("x");
  }

  @Test
  void flagsAreKeptInOrderByExactNameOrPrefixAndTheRestDropped() {
    String header = " context-1m-2025-08-07 ,made-up-2099-01-01,,output-128k-2025-02-19,token-efficient-tools";

    assertThat(AnthropicBetas.filter(header, null)).containsExactly("context-1m-2025-08-07", "made-up-2099-01-01",
        "output-128k-2025-02-19", "token-efficient-tools");
    assertThat(AnthropicBetas.filter(header, AnthropicBetas.CLOUD_DEFAULT))
        .containsExactly("context-1m-2025-08-07", "output-128k-2025-02-19");
    assertThat(AnthropicBetas.filter(header, List.of("made-up-2099-01-01", "token-*")))
        .containsExactly("made-up-2099-01-01", "token-efficient-tools");
    assertThat(AnthropicBetas.filter(null, List.of())).isEmpty();
    assertThat(AnthropicBetas.filter(header, List.of())).isEmpty();
  }
}
