package dev.aigis.model.policy;

import java.math.BigDecimal;

/**
 * USD per million tokens for models whose name matches {@code model} (exactly, or as a prefix when
 * {@code prefix} is set; the longest match wins).
 *
 * @param cachedInputPerMillion null: the input price
 */
public record ModelPrice(String model, boolean prefix, BigDecimal inputPerMillion, BigDecimal outputPerMillion,
    BigDecimal cachedInputPerMillion) {}
