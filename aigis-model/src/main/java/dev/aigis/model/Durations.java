package dev.aigis.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway API durations (GEP-2257): one to four {@code <number><unit>} parts with numbers of up to five
 * digits and units {@code h}, {@code m}, {@code s}, {@code ms}, as in {@code 1h}, {@code 500ms},
 * {@code 1m30s}. No sign, no fractions, no spaces.
 */
public final class Durations {

  /** The accepted syntax (Gateway API's Duration), also the pattern of a duration in the CRD schemas. */
  public static final String SYNTAX = "^([0-9]{1,5}(ms|h|m|s)){1,4}$";

  private static final Pattern WHOLE = Pattern.compile(SYNTAX);
  private static final Pattern PART = Pattern.compile("([0-9]{1,5})(ms|h|m|s)");

  private Durations() {}

  /** @throws IllegalArgumentException naming the text and the expected form */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "invalid duration \"" + text + "\": expected a Gateway API duration such as 10s, 500ms or 1m30s");
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "h" -> Duration.ofHours(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "s" -> Duration.ofSeconds(amount);
        default -> Duration.ofMillis(amount);
      });
    }
    return total;
  }

  /** The shortest Gateway API form, for messages: {@code 1h30m}, {@code 500ms}, {@code 0s}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    append(out, duration.toHours(), "h");
    append(out, duration.toMinutesPart(), "m");
    append(out, duration.toSecondsPart(), "s");
    append(out, duration.toMillisPart(), "ms");
    return out.toString();
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount > 0) {
      out.append(amount).append(unit);
    }
  }
}
