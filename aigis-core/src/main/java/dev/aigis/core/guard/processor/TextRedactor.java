package dev.aigis.core.guard.processor;

import java.util.List;

/** PII redaction of one whole text, as the Guardrail processor needs it. Blocking; thread-safe. */
@FunctionalInterface
public interface TextRedactor {

  Redacted redact(String text);

  /**
   * @param text the text with the policy's actions applied (unchanged when nothing was found)
   * @param entities the entity types found, one entry per occurrence; never values
   * @param blocked an entity whose action is Block was found
   */
  record Redacted(String text, List<String> entities, boolean blocked) {
    public Redacted {
      entities = List.copyOf(entities);
    }
  }
}
