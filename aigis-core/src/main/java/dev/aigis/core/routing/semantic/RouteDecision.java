package dev.aigis.core.routing.semantic;

import java.util.Locale;

/**
 * What a SemanticRoute processor decided for one request: the route taken (or none), the target
 * written to the header, and why. {@link #reason()} is the {@code x-aigis-route-reason} value;
 * {@link #metricRoute()} and {@link #confidenceBucket()} are metric labels built only from configured
 * names and closed sets, never from client text.
 *
 * @param route the configured route name, or null when none was taken
 * @param target what the header and model were set to, or null when the request was left as it came
 * @param confidence the classifier's confidence in its best label, 0..1
 */
public record RouteDecision(Outcome outcome, String route, String target, double confidence, double threshold) {

  public enum Outcome {
    /** A route was confident enough. */
    ROUTED,
    /** The best route was below the threshold: the default applies. */
    LOW_CONFIDENCE,
    /** Out-of-scope examples won: the default applies. */
    OUT_OF_SCOPE,
    /** The request had no text to classify: the default applies. */
    NO_TEXT
  }

  public String reason() {
    String score = format(confidence);
    return switch (outcome) {
      case ROUTED -> "route=" + route + "; confidence=" + score;
      case LOW_CONFIDENCE -> "default; route=" + route + "; confidence=" + score + " below " + formatThreshold(threshold);
      case OUT_OF_SCOPE -> "out_of_scope; confidence=" + score;
      case NO_TEXT -> "default; no text to classify";
    };
  }

  /** A configured route name, {@code default} or {@code out_of_scope}. */
  public String metricRoute() {
    return switch (outcome) {
      case ROUTED -> route;
      case OUT_OF_SCOPE -> "out_of_scope";
      case LOW_CONFIDENCE, NO_TEXT -> "default";
    };
  }

  /** {@code high} at or above the threshold, else {@code low}. */
  public String confidenceBucket() {
    return confidence >= threshold && outcome != Outcome.NO_TEXT ? "high" : "low";
  }

  /**
   * Two decimals, rounded down, so a confidence just below the threshold never prints as equal to
   * it ({@code 0.408 below 0.41}, not {@code 0.41 below 0.41}).
   */
  private static String format(double value) {
    return String.format(Locale.ROOT, "%.2f", Math.floor(value * 100 + 1e-9) / 100);
  }

  /** The threshold as configured (0.41, 0.415), not rounded. */
  private static String formatThreshold(double value) {
    String plain = java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    return plain.contains(".") && plain.length() - plain.indexOf('.') > 2 ? plain : String.format(Locale.ROOT, "%.2f", value);
  }
}
