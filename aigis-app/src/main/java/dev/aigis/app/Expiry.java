package dev.aigis.app;

import dev.aigis.model.Durations;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --expires} durations: an optional number of days ({@code 30d}) followed by an optional
 * Gateway API duration ({@code 12h}, {@code 1d12h}). Days are added here rather than to
 * {@link Durations}, whose Gateway API form (GEP-2257) has no day unit and which configuration
 * files must keep to.
 */
final class Expiry implements ITypeConverter<Duration> {

  private static final Pattern DAYS = Pattern.compile("([0-9]{1,5})d(.*)");

  @Override
  public Duration convert(String text) {
    try {
      Duration duration = parse(text);
      if (duration.isZero()) {
        throw new IllegalArgumentException("must be longer than 0");
      }
      return duration;
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("invalid expiry \"" + text + "\": expected a duration such as 30d, 12h or 1d12h");
    }
  }

  static Duration parse(String text) {
    Matcher days = DAYS.matcher(text);
    if (!days.matches()) {
      return Durations.parse(text);
    }
    Duration total = Duration.ofDays(Long.parseLong(days.group(1)));
    return days.group(2).isEmpty() ? total : total.plus(Durations.parse(days.group(2)));
  }
}
