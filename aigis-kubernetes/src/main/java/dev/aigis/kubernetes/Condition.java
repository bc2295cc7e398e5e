package dev.aigis.kubernetes;

/**
 * A status condition as Gateway API writes it ({@code type}, {@code status} True/False, {@code reason},
 * {@code message}); {@code observedGeneration} and {@code lastTransitionTime} are added when written.
 */
public record Condition(String type, boolean status, String reason, String message) {

  public static Condition yes(String type, String reason, String message) {
    return new Condition(type, true, reason, message);
  }

  public static Condition no(String type, String reason, String message) {
    return new Condition(type, false, reason, message);
  }
}
