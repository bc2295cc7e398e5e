package dev.aigis.kubernetes;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CustomResourceDefinitions of the Aigis kinds, built from {@link WatchedKind#AIGIS}: the status
 * subresource (the controller writes status only through it), a structural schema whose spec is checked
 * by the model's readers (they name the field, which an OpenAPI schema message cannot do as well), a CEL
 * rule for what the API server must refuse before Aigis sees it, and the printer columns
 * {@code kubectl get} shows. {@code aigis crds} prints them; deploy/crds holds the same text.
 */
public final class Crds {

  private Crds() {}

  public static List<CustomResourceDefinition> aigis() {
    return WatchedKind.AIGIS.stream().map(Crds::of).toList();
  }

  /** The definitions as one multi-document YAML stream, as {@code kubectl apply -f} takes it. */
  public static String yaml() {
    StringBuilder out = new StringBuilder();
    for (CustomResourceDefinition crd : aigis()) {
      String text = Serialization.asYaml(crd);
      out.append(text.startsWith("---") ? text : "---\n" + text);
    }
    return out.toString();
  }

  /** A definition for one kind, also used by tests to register the Gateway API kinds with a mock API server. */
  public static CustomResourceDefinition of(WatchedKind kind) {
    JSONSchemaProps spec = new JSONSchemaPropsBuilder().withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .withXKubernetesValidations(rules(kind))
        .build();
    JSONSchemaProps condition = new JSONSchemaPropsBuilder().withType("object")
        .withRequired("type", "status")
        .addToProperties("type", string())
        .addToProperties("status", string())
        .addToProperties("reason", string())
        .addToProperties("message", string())
        .addToProperties("observedGeneration", new JSONSchemaPropsBuilder().withType("integer").withFormat("int64").build())
        .addToProperties("lastTransitionTime", new JSONSchemaPropsBuilder().withType("string").withFormat("date-time").build())
        .build();
    JSONSchemaProps conditions = new JSONSchemaPropsBuilder().withType("array")
        .withNewItems().withSchema(condition).endItems()
        .withXKubernetesListType("map").withXKubernetesListMapKeys("type").build();
    JSONSchemaProps status = new JSONSchemaPropsBuilder().withType("object")
        .addToProperties("conditions", conditions)
        .addToProperties("ancestors", new JSONSchemaPropsBuilder().withType("array")
            .withNewItems().withSchema(new JSONSchemaPropsBuilder().withType("object")
                .withXKubernetesPreserveUnknownFields(true).build()).endItems().build())
        .build();
    JSONSchemaProps root = new JSONSchemaPropsBuilder().withType("object")
        .addToProperties("apiVersion", string())
        .addToProperties("kind", string())
        .addToProperties("metadata", new JSONSchemaPropsBuilder().withType("object").build())
        .addToProperties("spec", spec)
        .addToProperties("status", status)
        .withRequired("spec")
        .build();
    String plural = kind.plural();
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + "." + kind.group())
            .withLabels(Map.of("app.kubernetes.io/part-of", "aigis")).endMetadata()
        .withNewSpec()
            .withGroup(kind.group())
            .withScope(kind.namespaced() ? "Namespaced" : "Cluster")
            .withNewNames().withKind(kind.kind()).withPlural(plural)
                .withSingular(kind.kind().toLowerCase(Locale.ROOT)).withCategories("aigis").endNames()
            .addNewVersion().withName(kind.version()).withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withOpenAPIV3Schema(root).endSchema()
                .addNewAdditionalPrinterColumn().withName("Accepted").withType("string")
                    .withJsonPath(kind.isPolicy() ? ".status.ancestors[0].conditions[?(@.type==\"Accepted\")].status"
                        : ".status.conditions[?(@.type==\"Accepted\")].status").endAdditionalPrinterColumn()
                .addNewAdditionalPrinterColumn().withName("Age").withType("date")
                    .withJsonPath(".metadata.creationTimestamp").endAdditionalPrinterColumn()
            .endVersion()
        .endSpec()
        .build();
  }

  /** CEL rules the API server applies; the readers check the rest with messages naming the field. */
  private static List<ValidationRule> rules(WatchedKind kind) {
    return switch (kind.kind()) {
      case "AIBackend" -> List.of(rule("has(self.schema)", "spec.schema must be set"));
      case "PayloadProcessor", "AccessPolicy", "RateLimitPolicy", "EgressPolicy" -> List.of(rule(
          "has(self.targetRef) && !has(self.targetRefs)", "a policy targets exactly one object with spec.targetRef"));
      default -> List.of();
    };
  }

  private static ValidationRule rule(String expression, String message) {
    return new io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder()
        .withRule(expression).withMessage(message).build();
  }

  private static JSONSchemaProps string() {
    return new JSONSchemaPropsBuilder().withType("string").build();
  }
}
