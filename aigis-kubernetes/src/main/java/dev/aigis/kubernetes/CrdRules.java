package dev.aigis.kubernetes;

import dev.aigis.model.PayloadProcessor;
import dev.aigis.model.processing.ProcessorType;
import dev.aigis.model.processing.ProcessorTypes;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API server refuses beyond field types: CEL rules for the readers' simplest cross-field rules
 * (exactly one of two blocks, a processor's {@code type} and its block) and the bound on the processor
 * chain. The readers check the same rules with messages naming file and field, so these only move the
 * refusal earlier, to {@code kubectl apply}. Every rule compares presence or a bounded enum, so the API
 * server's CEL cost estimate stays small. Paths are relative to {@code spec}; {@code []} is "each element".
 */
final class CrdRules {

  /**
   * Was {@code has(self.targetRef) && !has(self.targetRefs)} while spec was schemaless; with a typed spec
   * the API server type-checks rules and refuses one naming a field the schema lacks, and targetRefs
   * cannot be set anyway (it is not in the schema).
   */
  private static final String TARGET_REF = "has(self.targetRef)";

  private CrdRules() {}

  static Map<String, List<ValidationRule>> of(String kind) {
    Map<String, List<ValidationRule>> rules = new LinkedHashMap<>();
    switch (kind) {
      case "AIBackend" -> {
        add(rules, "", "has(self.schema)", "spec.schema must be set");
        add(rules, "", "!has(self.endpoint) || !has(self.backendRef)", "set exactly one of endpoint or backendRef");
        add(rules, "endpoint", "(has(self.url) ? 1 : 0) + (has(self.host) || has(self.port) || has(self.tls) ? 1 : 0)"
            + " + (has(self.builtin) ? 1 : 0) == 1", "set exactly one of url, host (with port and tls) or builtin");
        add(rules, "credentials", "has(self.secretRef) != has(self.env)", "set exactly one of secretRef or env");
      }
      case "PayloadProcessor" -> {
        add(rules, "", TARGET_REF, "a policy targets exactly one object with spec.targetRef");
        for (ProcessorType<?> type : ProcessorTypes.BUILT_IN.all()) {
          add(rules, "processors[]", "has(self." + type.block() + ") == (self.type == '" + type.name() + "')",
              type.block() + " is set exactly when type is " + type.name());
        }
      }
      case "AccessPolicy" -> {
        add(rules, "", TARGET_REF, "a policy targets exactly one object with spec.targetRef");
        add(rules, "authentication", "has(self.apiKeys) || has(self.jwt)",
            "set apiKeys, jwt or both: a policy accepting no credential admits no one");
        add(rules, "authentication.jwt.providers[].jwks", "has(self.file) != has(self.url)", "set exactly one of file or url");
      }
      case "RateLimitPolicy", "EgressPolicy" ->
          add(rules, "", TARGET_REF, "a policy targets exactly one object with spec.targetRef");
      case "PriceCatalog" ->
          add(rules, "prices[]", "has(self.model) != has(self.modelPrefix)", "set exactly one of model or modelPrefix");
      case "KnowledgeBase" -> {
        add(rules, "", "has(self.sources) != has(self.retriever)", "set exactly one of sources or retriever");
        add(rules, "", "!has(self.retriever) || !has(self.chunking)",
            "chunking has no effect with a retriever (the retriever returns chunks)");
        add(rules, "sources[]", "has(self.path) != has(self.configMapRef)", "set exactly one of path or configMapRef");
      }
      default -> { }
    }
    return rules;
  }

  /** Bounds that are the model's constants, set on the generated schema. */
  static void limit(String kind, JSONSchemaProps spec) {
    if (kind.equals(PayloadProcessor.KIND)) {
      at(spec, "processors").setMaxItems((long) PayloadProcessor.MAX_PROCESSORS);
    }
  }

  /** The schema at {@code path} under {@code spec}; fails when the generated schema has no such field. */
  static JSONSchemaProps at(JSONSchemaProps spec, String path) {
    JSONSchemaProps node = spec;
    if (!path.isEmpty()) {
      for (String step : path.split("\\.")) {
        boolean each = step.endsWith("[]");
        String field = each ? step.substring(0, step.length() - 2) : step;
        node = node.getProperties().get(field);
        if (node == null) {
          throw new IllegalStateException("the spec schema has no field " + path);
        }
        node = each ? node.getItems().getSchema() : node;
      }
    }
    return node;
  }

  private static void add(Map<String, List<ValidationRule>> rules, String path, String rule, String message) {
    rules.computeIfAbsent(path, p -> new ArrayList<>())
        .add(new ValidationRuleBuilder().withRule(rule).withMessage(message).build());
  }
}
