package dev.aigis.core.api.text;

import static dev.aigis.core.api.text.TextTesting.bytes;
import static dev.aigis.core.api.text.TextTesting.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.api.ApiEndpoint;
import org.junit.jupiter.api.Test;

class CompletionsTextTest {

  private static final ResponseText COMPLETIONS = ResponseText.of(ApiEndpoint.COMPLETIONS);

  @Test
  void readsAndRewritesTheFirstChoicesText() {
    String event = "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1700000000,\"model\":\"m\",\"choices\":[{\"text\":\" there — ünïcödé \\uD83D\\uDC4B!\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}\n\n";

    assertThat(COMPLETIONS.deltaText(bytes(event))).isEqualTo(" there — ünïcödé 👋!");
    assertThat(string(COMPLETIONS.withDeltaText(bytes(event), " there"))).isEqualTo(
        "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1700000000,\"model\":\"m\",\"choices\":[{\"text\":\" there\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}\n\n");
  }

  @Test
  void finishAndUsageChunksCarryNoText() {
    byte[] finish = bytes("data: {\"id\":\"cmpl-1\",\"choices\":[{\"text\":\"\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n");
    byte[] usage = bytes("data: {\"id\":\"cmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\n\n");

    assertThat(COMPLETIONS.deltaText(finish)).isNull();
    assertThat(COMPLETIONS.kind(usage)).isEqualTo(EventKind.NONE);
    assertThat(COMPLETIONS.withDeltaText(usage, "x")).isSameAs(usage);
  }
}
