package dev.aigis.model.processing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * {@code type: Guardrail}: the built-in guards of one processor entry. Each block is optional and
 * absent means that guard is off; at least one must be present. Entity names, rule files and the
 * like are checked when the data plane compiles the processor (it knows the detectors).
 *
 * @param messages which request messages are inspected (injection and PII): {@code UserAndTools}
 *     (default: every message a user controls, tool results included), {@code LastUser}, {@code All}
 */
public record GuardrailSpec(
    String messages, Injection injection, Pii pii, Output output, Anomaly anomaly) implements ProcessorConfig {

  public static final List<String> MESSAGES = List.of("UserAndTools", "LastUser", "All");
  public static final List<String> ACTIONS = List.of("Block", "Flag", "Log");
  public static final List<String> PII_ACTIONS = List.of("Redact", "Mask", "Hash", "Block", "Off");
  public static final List<String> DIRECTIONS = List.of("Both", "Request", "Response");
  public static final List<String> ANOMALY_ACTIONS = List.of("Flag", "Throttle", "Log");
  public static final List<String> ANOMALY_SIGNALS = List.of("rate", "tokens", "length", "distance");

  /**
   * Prompt injection and jailbreak detection.
   *
   * @param threshold null for the shipped model's threshold
   * @param ruleFiles user signature files added to the shipped rules, re-read when they change
   * @param signaturesOnly skip the trained classifier (no embedding: cheaper, less recall)
   */
  public record Injection(String action, BigDecimal threshold, List<String> ruleFiles, boolean signaturesOnly) {}

  /**
   * PII detection and redaction.
   *
   * @param direction where it applies: {@code Both}, {@code Request} or {@code Response}
   * @param action the action for every entity not named in {@code entities}
   * @param entities per-entity actions by entity name ({@code EMAIL_ADDRESS: Block}, {@code Off} to skip one)
   * @param regions phone-number regions (ISO 3166 codes) besides international {@code +} numbers
   */
  public record Pii(String direction, String action, Map<String, String> entities, List<String> regions) {}

  /**
   * Harmful-output filtering of answers, plain and streamed, with the shipped rules and model (its
   * rules are features the model was trained with, so they are not extended by configuration).
   *
   * @param stride characters of new streamed text between two classifier runs (what is held back)
   */
  public record Output(String action, int stride) {}

  /**
   * Per-identity anomaly detection (per client address when the caller has no identity).
   *
   * @param zThreshold how many standard deviations from the baseline count as anomalous
   * @param minHistory requests seen from an identity before it can be flagged
   * @param signals which baselines count: {@code rate}, {@code tokens}, {@code length}, {@code distance}
   */
  public record Anomaly(String action, BigDecimal zThreshold, int minHistory, List<String> signals) {}
}
