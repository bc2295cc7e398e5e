package dev.aigis.model.load;

import java.math.BigDecimal;

/**
 * The values a number field may take, declared where the field is read ({@link Fields#decimal(String,
 * boolean, Range)}) so the CRD schema carries it as {@code minimum}/{@code maximum}, and checked by the
 * type's validation with the same constant, which keeps its message (file, field, value) the loader's.
 *
 * @param minimum the lower bound, or null for none
 * @param exclusiveMinimum whether the lower bound itself is refused, as in (0, 1]
 * @param maximum the upper bound (inclusive), or null for none
 */
public record Range(BigDecimal minimum, boolean exclusiveMinimum, BigDecimal maximum) {

  /** [min, max]. */
  public static Range closed(String min, String max) {
    return new Range(new BigDecimal(min), false, new BigDecimal(max));
  }

  /** (min, max]: a probability or similarity that must not be zero. */
  public static Range aboveUpTo(String min, String max) {
    return new Range(new BigDecimal(min), true, new BigDecimal(max));
  }

  /** [min, ∞). */
  public static Range atLeast(String min) {
    return new Range(new BigDecimal(min), false, null);
  }

  public boolean contains(BigDecimal value) {
    if (minimum != null) {
      int low = value.compareTo(minimum);
      if (low < 0 || (exclusiveMinimum && low == 0)) {
        return false;
      }
    }
    return maximum == null || value.compareTo(maximum) <= 0;
  }
}
