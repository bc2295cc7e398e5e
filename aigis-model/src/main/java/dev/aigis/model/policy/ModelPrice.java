package dev.aigis.model.policy;

import java.math.BigDecimal;

/**
 * USD per million tokens for models whose name matches {@code model} (exactly, or as a prefix when
 * {@code prefix} is set; the longest match wins).
 *
 * @param cachedInputPerMillion tokens read from the prompt cache; null: the input price
 * @param cacheWritePerMillion tokens written to the prompt cache (Anthropic bills them at 1.25x
 *     input); null: the input price
 */
public record ModelPrice(String model, boolean prefix, BigDecimal inputPerMillion, BigDecimal outputPerMillion,
    BigDecimal cachedInputPerMillion, BigDecimal cacheWritePerMillion) {

  /** Without a cache-write price. */
  public ModelPrice(String model, boolean prefix, BigDecimal inputPerMillion, BigDecimal outputPerMillion,
      BigDecimal cachedInputPerMillion) {
    this(model, prefix, inputPerMillion, outputPerMillion, cachedInputPerMillion, null);
  }
}
