package dev.aigis.core.guard.signature;

/**
 * A rule that fired. Holds no matched text, so hits can go into logs, metrics and audit records.
 */
public record SignatureHit(String ruleId, String category, double weight) {}
