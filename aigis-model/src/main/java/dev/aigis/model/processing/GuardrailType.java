package dev.aigis.model.processing;

import dev.aigis.model.load.Fields;
import dev.aigis.model.load.Range;
import java.math.BigDecimal;
import java.util.List;

/** {@code type: Guardrail}: the built-in guards ({@link GuardrailSpec}); docs/guardrails.md. */
final class GuardrailType implements ProcessorType<GuardrailSpec> {

  static final int DEFAULT_STRIDE = 200;
  static final int DEFAULT_MIN_HISTORY = 20;

  @Override
  public String name() {
    return "Guardrail";
  }

  @Override
  public String block() {
    return "guardrail";
  }

  @Override
  public Class<GuardrailSpec> configClass() {
    return GuardrailSpec.class;
  }

  /** Declared where read (the CRD schema bounds them) and checked in {@link #validate}. */
  private static final Range PROBABILITY = Range.aboveUpTo("0", "1");
  private static final Range Z_THRESHOLD = Range.atLeast("1");

  @Override
  public List<String> fields() {
    return List.of("messages", "injection", "pii", "output", "anomaly");
  }

  @Override
  public GuardrailSpec read(Fields block) {
    String messages = block.choice("messages", false, GuardrailSpec.MESSAGES);
    Fields injection = block.object("injection", "action", "threshold", "ruleFiles", "signaturesOnly");
    Fields pii = block.object("pii", "direction", "action", "entities", "regions");
    Fields output = block.object("output", "action", "stride");
    Fields anomaly = block.object("anomaly", "action", "zThreshold", "minHistory", "signals");
    return new GuardrailSpec(
        messages == null ? "UserAndTools" : messages,
        injection == null ? null : new GuardrailSpec.Injection(
            orDefault(injection.choice("action", false, GuardrailSpec.ACTIONS), "Block"),
            injection.decimal("threshold", false, PROBABILITY),
            orEmpty(injection.strings("ruleFiles")),
            injection.bool("signaturesOnly", false)),
        pii == null ? null : new GuardrailSpec.Pii(
            orDefault(pii.choice("direction", false, GuardrailSpec.DIRECTIONS), "Both"),
            orDefault(pii.choice("action", false, GuardrailSpec.PII_ACTIONS), "Redact"),
            pii.stringMap("entities") == null ? java.util.Map.of() : pii.stringMap("entities"),
            orEmpty(pii.strings("regions"))),
        output == null ? null : new GuardrailSpec.Output(
            orDefault(output.choice("action", false, GuardrailSpec.ACTIONS), "Block"),
            output.integer("stride") == null ? DEFAULT_STRIDE : output.integer("stride")),
        anomaly == null ? null : new GuardrailSpec.Anomaly(
            orDefault(anomaly.choice("action", false, GuardrailSpec.ANOMALY_ACTIONS), "Flag"),
            anomaly.decimal("zThreshold", false, Z_THRESHOLD),
            anomaly.integer("minHistory") == null ? DEFAULT_MIN_HISTORY : anomaly.integer("minHistory"),
            anomaly.strings("signals") == null ? GuardrailSpec.ANOMALY_SIGNALS : anomaly.strings("signals")));
  }

  @Override
  public void validate(GuardrailSpec spec, Errors errors) {
    String at = block();
    if (spec.injection() == null && spec.pii() == null && spec.output() == null && spec.anomaly() == null) {
      errors.at(at, "at least one of injection, pii, output or anomaly is required");
    }
    if (spec.injection() != null) {
      probability(spec.injection().threshold(), at + ".injection.threshold", errors);
    }
    if (spec.output() != null) {
      if (spec.output().stride() < 16 || spec.output().stride() > 4096) {
        errors.at(at + ".output.stride", "must be 16..4096 characters, got " + spec.output().stride());
      }
    }
    if (spec.pii() != null) {
      spec.pii().entities().forEach((entity, action) -> {
        if (!GuardrailSpec.PII_ACTIONS.contains(action)) {
          errors.at(at + ".pii.entities." + entity, "must be one of " + String.join(", ", GuardrailSpec.PII_ACTIONS)
              + " (got \"" + action + "\")");
        }
      });
    }
    if (spec.anomaly() != null) {
      GuardrailSpec.Anomaly anomaly = spec.anomaly();
      if (anomaly.zThreshold() != null && !Z_THRESHOLD.contains(anomaly.zThreshold())) {
        errors.at(at + ".anomaly.zThreshold", "must be at least 1, got " + anomaly.zThreshold().toPlainString());
      }
      if (anomaly.minHistory() < 2) {
        errors.at(at + ".anomaly.minHistory", "must be at least 2, got " + anomaly.minHistory());
      }
      for (int i = 0; i < anomaly.signals().size(); i++) {
        if (!GuardrailSpec.ANOMALY_SIGNALS.contains(anomaly.signals().get(i))) {
          errors.at(at + ".anomaly.signals[" + i + "]", "must be one of "
              + String.join(", ", GuardrailSpec.ANOMALY_SIGNALS) + " (got \"" + anomaly.signals().get(i) + "\")");
        }
      }
      if (anomaly.signals().isEmpty()) {
        errors.at(at + ".anomaly.signals", "at least one signal is required");
      }
    }
  }

  private static void probability(BigDecimal value, String field, Errors errors) {
    if (value != null && !PROBABILITY.contains(value)) {
      errors.at(field, "must be in (0, 1], got " + value.toPlainString());
    }
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }
}
