package dev.aigis.core.guard.processor;

import dev.aigis.core.exchange.AttributeKey;

/** Exchange attributes the Guardrail processor leaves for the access log and the audit record. */
public final class GuardAttributes {

  /** Every guard finding of the exchange, across Guardrail processors. */
  public static final AttributeKey<GuardFindings> FINDINGS = AttributeKey.of("guardrail.findings", GuardFindings.class);

  /** The response header that names flagged guards. */
  public static final String FLAG_HEADER = "x-aigis-guardrail";

  private GuardAttributes() {}
}
