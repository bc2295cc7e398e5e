package dev.aigis.core.guard.processor;

/** What a guard does when its detector fires. */
public enum GuardAction {
  /** Refuse: a 400 in the caller's format naming the policy (or an error event ending a stream). */
  BLOCK,
  /** Let it through and say so in the {@code x-aigis-guardrail} response header. */
  FLAG,
  /** Let it through; only metrics, the log and the audit record show it. */
  LOG;

  /** From the configuration's spelling ({@code Block}, {@code Flag}, {@code Log}). */
  public static GuardAction of(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
