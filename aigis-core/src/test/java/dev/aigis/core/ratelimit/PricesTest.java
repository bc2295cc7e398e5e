package dev.aigis.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigis.core.usage.TokenUsage;
import dev.aigis.model.policy.ModelPrice;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PricesTest {

  private static ModelPrice price(String model, boolean prefix, String input, String output, String cached) {
    return new ModelPrice(model, prefix, new BigDecimal(input), new BigDecimal(output), cached == null ? null : new BigDecimal(cached));
  }

  private static String inputOf(Prices prices, String model) {
    return prices.lookup(model).map(p -> p.inputPerMillion().toPlainString()).orElse("none");
  }

  @Test
  void theShippedCatalogueLoadsAndPricesTheMainModels() {
    Prices shipped = Prices.shipped();
    assertThat(shipped.lookup("gpt-4o")).contains(price("gpt-4o", false, "2.50", "10.00", "1.25"));
    assertThat(inputOf(shipped, "gpt-4o-mini")).isEqualTo("0.15");
    assertThat(inputOf(shipped, "gpt-4.1-2025-04-14")).isEqualTo("2.00");
    assertThat(inputOf(shipped, "gpt-4.1-mini-2025-04-14")).isEqualTo("0.40");
    assertThat(inputOf(shipped, "o4-mini")).isEqualTo("1.10");
    assertThat(inputOf(shipped, "gpt-5-nano-2025-08-07")).isEqualTo("0.05");
    assertThat(inputOf(shipped, "gemini-2.5-flash")).isEqualTo("0.30");
    assertThat(inputOf(shipped, "gemini-2.0-flash-001")).isEqualTo("0.10");
    assertThat(inputOf(shipped, "amazon.nova-pro-v1:0")).isEqualTo("0.80");
  }

  @Test
  void datedAndPlatformIdsMatchTheLongestPrefix() {
    Prices shipped = Prices.shipped();
    assertThat(inputOf(shipped, "claude-sonnet-4-20250514")).isEqualTo("3.00");
    assertThat(inputOf(shipped, "claude-sonnet-4-5-20250929")).isEqualTo("3.00");
    assertThat(inputOf(shipped, "claude-opus-4-20250514")).isEqualTo("15.00");
    assertThat(inputOf(shipped, "claude-opus-4-1-20250805")).isEqualTo("15.00");
    assertThat(inputOf(shipped, "claude-opus-4-5-20251101")).isEqualTo("5.00");
    assertThat(inputOf(shipped, "claude-opus-5-5")).isEqualTo("4.00");
    assertThat(inputOf(shipped, "claude-3-5-haiku-20241022")).isEqualTo("0.80");
    assertThat(inputOf(shipped, "claude-opus-4-1@20250805")).as("Vertex AI").isEqualTo("15.00");
  }

  @Test
  void providerPrefixesAndBedrockIdsAreStripped() {
    Prices shipped = Prices.shipped();
    assertThat(inputOf(shipped, "openai/gpt-4o")).isEqualTo("2.50");
    assertThat(inputOf(shipped, "models/gemini-2.5-pro")).isEqualTo("1.25");
    assertThat(inputOf(shipped, "anthropic.claude-3-5-sonnet-20240620-v1:0")).isEqualTo("3.00");
    assertThat(inputOf(shipped, "us.anthropic.claude-sonnet-4-20250514-v1:0")).isEqualTo("3.00");
    assertThat(inputOf(shipped, "global.anthropic.claude-haiku-4-5-20251001-v1:0")).isEqualTo("1.00");
    assertThat(inputOf(shipped, "eu.amazon.nova-lite-v1:0")).isEqualTo("0.06");
    assertThat(Prices.candidates("us.anthropic.claude-x")).containsExactly("us.anthropic.claude-x", "anthropic.claude-x", "claude-x");
  }

  @Test
  void unknownModelsHaveNoPrice() {
    assertThat(Prices.shipped().lookup("my-llama-70b")).isEmpty();
    assertThat(Prices.shipped().lookup("")).isEmpty();
    assertThat(Prices.shipped().lookup(null)).isEmpty();
    assertThat(Prices.shipped().lookup("gpt-5-pro")).as("not the gpt-5 price").isEmpty();
    assertThat(Prices.shipped().lookup("o1-pro")).as("not the o1 price").isEmpty();
  }

  @Test
  void overridesWinEvenWithAShorterPrefixAndTheLaterOverrideWins() {
    Prices prices = Prices.shipped().with(List.of(
        price("my-llama-", true, "0.10", "0.10", null),
        price("gpt-", true, "9", "9", null),
        price("my-llama-", true, "0.20", "0.20", null)));

    assertThat(inputOf(prices, "my-llama-70b")).isEqualTo("0.20");
    assertThat(inputOf(prices, "gpt-4o")).as("a shorter override prefix beats a shipped exact name").isEqualTo("9");
    assertThat(inputOf(prices, "claude-3-haiku-20240307")).isEqualTo("0.25");
    assertThat(inputOf(Prices.shipped(), "gpt-4o")).as("the shipped catalogue is unchanged").isEqualTo("2.50");
    assertThat(Prices.shipped().with(List.of())).isSameAs(Prices.shipped());
  }

  @Test
  void costIsInNanoUsdWithCachedInputAsAPartOfInputRoundedUp() {
    ModelPrice gpt4o = price("gpt-4o", false, "2.50", "10.00", "1.25");
    // 1,000 input of which 400 cached, 500 output: 600×2.5 + 400×1.25 + 500×10 = 7,000 micro-USD.
    assertThat(Prices.nanoUsd(new TokenUsage(1_000, 500, 1_500, 400, 0), gpt4o)).isEqualTo(7_000_000);
    assertThat(Prices.nanoUsd(TokenUsage.NONE, gpt4o)).isZero();
    // One token of gpt-5-nano input is 0.05 micro-USD = 50 nano-USD; one cached is 5.
    ModelPrice nano = price("gpt-5-nano", false, "0.05", "0.40", "0.005");
    assertThat(Prices.nanoUsd(new TokenUsage(1, 0, 1, 0, 0), nano)).isEqualTo(50);
    assertThat(Prices.nanoUsd(new TokenUsage(1, 0, 1, 1, 0), nano)).isEqualTo(5);
    // Nova Micro: 0.035 per million is 35 nano-USD per token; 0.00875 nano would round up.
    ModelPrice fraction = price("x", false, "0.0000001", "0", null);
    assertThat(Prices.nanoUsd(new TokenUsage(1, 0, 1, 0, 0), fraction)).as("rounded up, never free").isEqualTo(1);
  }

  @Test
  void costWithoutACachedPriceChargesCachedTokensAsInputAndSaturates() {
    ModelPrice gemini = price("gemini-2.5-flash", false, "0.30", "2.50", null);
    assertThat(Prices.nanoUsd(new TokenUsage(1_000, 0, 1_000, 1_000, 0), gemini)).isEqualTo(300_000);
    assertThat(Prices.nanoUsd(new TokenUsage(10, 0, 10, 50, 0), gemini)).as("cached clamped to input").isEqualTo(3_000);
    assertThat(Prices.nanoUsd(new TokenUsage(Long.MAX_VALUE, Long.MAX_VALUE, 0, 0, 0), gemini)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void anthropicUsageIsPricedWithCacheReadsAndWritesAtTheirPrices() {
    // AnthropicUsage puts cache reads and writes into input and the reads into cachedInput.
    var usage = dev.aigis.core.usage.AnthropicUsage.from(dev.aigis.core.json.Json.MAPPER.createObjectNode()
        .put("input_tokens", 100).put("cache_read_input_tokens", 1_000).put("cache_creation_input_tokens", 10)
        .put("output_tokens", 20));
    Optional<ModelPrice> sonnet = Prices.shipped().lookup("claude-sonnet-4-5");
    // 100×3 + 10×3.75 + 1,000×0.30 + 20×15 = 937.5 micro-USD.
    assertThat(Prices.nanoUsd(usage, sonnet.orElseThrow())).isEqualTo(937_500);
    // Without a write price, writes are input; parts beyond the input are clamped, reads first.
    var plain = new ModelPrice("m", false, java.math.BigDecimal.ONE, java.math.BigDecimal.ONE, java.math.BigDecimal.ZERO);
    assertThat(Prices.nanoUsd(new TokenUsage(10, 0, 10, 4, 0, 3), plain)).isEqualTo(6_000);
    assertThat(Prices.nanoUsd(new TokenUsage(10, 0, 10, 8, 0, 5), plain)).isEqualTo(2_000);
  }
}
